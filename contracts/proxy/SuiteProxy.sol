// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

// Compiled so that TypeChain generates a factory for OpenZeppelin's ERC-1967 proxy: the deployment code (SDK and
// `deploy/`) puts every registry behind one, from any process, with or without Hardhat.
// solhint-disable-next-line no-unused-import
import {ERC1967Proxy} from "@openzeppelin/contracts/proxy/ERC1967/ERC1967Proxy.sol";

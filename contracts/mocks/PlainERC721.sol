// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {ERC721} from "@openzeppelin/contracts/token/ERC721/ERC721.sol";

/// @title PlainERC721
/// @notice Benchmark peer only: OpenZeppelin's ERC-721 with an open mint, the baseline a title token is compared to.
contract PlainERC721 is ERC721 {
    constructor() ERC721("Plain", "PLN") {}

    /// @notice Mints `tokenId` to `to`; anyone may call (benchmark only).
    /// @param to The receiver.
    /// @param tokenId The token id.
    function mint(address to, uint256 tokenId) external {
        _mint(to, tokenId);
    }
}

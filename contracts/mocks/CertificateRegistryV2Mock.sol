// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {CertificateRegistry} from "../certificates/CertificateRegistry.sol";

/// @title CertificateRegistryV2Mock
/// @notice Test helper: a later implementation of the registry, to prove that governance can upgrade it and that
/// records survive the upgrade.
/// @custom:oz-upgrades-from CertificateRegistry
contract CertificateRegistryV2Mock is CertificateRegistry {
    /// @notice Something only the new implementation answers.
    /// @return A marker.
    function upgradeMarker() external pure returns (string memory) {
        return "v2";
    }
}

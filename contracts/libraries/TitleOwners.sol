// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {ITitleRegistryTypes} from "../interfaces/ITitleRegistryTypes.sol";

/// @title TitleOwners
/// @notice Pure helpers on owner lists shared by the title and restriction registries.
library TitleOwners {
    /// @notice The digest that names an owner list (accounts and shares, in order; not identity commitments):
    /// `keccak256(abi.encode(address[] accounts, uint16[] shares))`.
    /// @param owners The owners.
    /// @return The digest.
    function digest(ITitleRegistryTypes.Owner[] memory owners) internal pure returns (bytes32) {
        uint256 count = owners.length;
        address[] memory accounts = new address[](count);
        uint16[] memory shares = new uint16[](count);
        for (uint256 i = 0; i < count; ++i) {
            accounts[i] = owners[i].account;
            shares[i] = owners[i].shares;
        }
        return keccak256(abi.encode(accounts, shares));
    }
}

// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {IERC1271} from "@openzeppelin/contracts/interfaces/IERC1271.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";

/// @title ERC1271WalletMock
/// @notice Test helper: a contract wallet (EIP-1271) that accepts what its signer key signs, until told to refuse
/// everything.
contract ERC1271WalletMock is IERC1271 {
    /// @notice The key whose signatures the wallet accepts.
    address public immutable SIGNER;
    /// @notice Whether the wallet currently refuses every signature.
    bool public refusing;

    /// @param signer_ The key whose signatures the wallet accepts.
    constructor(address signer_) {
        SIGNER = signer_;
    }

    /// @notice Makes the wallet refuse (or accept again) every signature.
    /// @param refusing_ True to refuse.
    function setRefusing(bool refusing_) external {
        refusing = refusing_;
    }

    /// @inheritdoc IERC1271
    function isValidSignature(bytes32 hash, bytes calldata signature) external view returns (bytes4) {
        (address signer, ECDSA.RecoverError error, ) = ECDSA.tryRecoverCalldata(hash, signature);
        if (refusing || error != ECDSA.RecoverError.NoError || signer != SIGNER) return bytes4(0xffffffff);
        return IERC1271.isValidSignature.selector;
    }
}

// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

/// @title ICertificateRegistry
/// @notice On-chain status of electronic certificates. The documents themselves stay off chain: a certificate id is
/// the Merkle root over the document's salted field hashes, and the holder appears only as a salted commitment.
/// @dev Authority comes from the agency directory: an account may issue under a type when it may act for the type's
/// agency with ISSUE_CERTIFICATES. A contract (such as the title registry) issues the same way, as an operator.
interface ICertificateRegistry {
    /// @notice Lifecycle of a certificate. Expiry is not a status: it follows from the validity window.
    enum CertificateStatus {
        None,
        Issued,
        Revoked,
        Suspended,
        Superseded
    }

    /// @notice A kind of certificate an agency issues.
    struct CertificateType {
        uint32 agencyId;
        bool revocable;
        bool retired;
        uint40 defaultValidity;
        bytes32 schemaHash;
        string name;
    }

    /// @notice Registers a certificate type for an agency. An operator of the agency with ISSUE_CERTIFICATES, or
    /// governance.
    /// @param agencyId The issuing agency.
    /// @param name Display name of the type.
    /// @param schemaHash Hash of the field schema (JSON Schema) certificates of the type follow.
    /// @param revocable Whether certificates of the type can be revoked.
    /// @param defaultValidity Seconds a certificate stays valid when issued without an end; 0 for no expiry.
    /// @return typeId The new type's id.
    function registerType(
        uint32 agencyId,
        string calldata name,
        bytes32 schemaHash,
        bool revocable,
        uint40 defaultValidity
    ) external returns (uint32 typeId);

    /// @notice Issues one certificate.
    /// @param certificateId Merkle root of the certificate document (its salted field hashes).
    /// @param typeId The certificate type; the caller must be allowed to issue for its agency.
    /// @param holderCommitment Salted commitment to the holder's identity; emitted as an indexed topic, not stored.
    /// @param validFrom Start of validity; 0 for now.
    /// @param validUntil End of validity; 0 for the type's default.
    function issue(
        bytes32 certificateId,
        uint32 typeId,
        bytes32 holderCommitment,
        uint40 validFrom,
        uint40 validUntil
    ) external;

    /// @notice Status of one certificate.
    /// @param certificateId The certificate id.
    /// @return The stored status (`None` if never issued on its own).
    function statusOf(bytes32 certificateId) external view returns (CertificateStatus);
}

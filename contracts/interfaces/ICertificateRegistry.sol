// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

/// @title ICertificateRegistry
/// @notice On-chain status of electronic certificates. The documents themselves stay off chain: a certificate id is
/// the Merkle root over the document's salted field hashes, and the holder appears only as a salted commitment.
/// @dev Authority comes from the agency directory: an account may issue under a type when it may act for the type's
/// agency with ISSUE_CERTIFICATES. A contract (such as the title registry) issues the same way, as an operator.
///
/// A certificate is either issued on its own (one record per id) or anchored inside a batch: one Merkle root for
/// thousands of ids, leaf = keccak256(bytes.concat(keccak256(abi.encode(certificateId)))) — the leaf of
/// OpenZeppelin's `StandardMerkleTree.of([[id]], ["bytes32"])` — proven with sorted-pair proofs. Managing one
/// anchored certificate on its own (revoke, suspend, supersede) gives it a record of its own, copied from its batch;
/// from then on the record answers for that id, exactly as for a certificate issued on its own.
///
/// Validity is the half-open window [validFrom, validUntil); validUntil 0 means it never expires. Expiry is
/// computed, never stored. Times are block timestamps (`uint40`).
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

    /// @notice Everything a verifier needs about one certificate, as returned by {verifyStatus}.
    /// @dev `issuerKeyId` 0 means governance issued it. `statusListIndex` is reserved (0 for now). `valid` is true
    /// when the status is Issued, the current time lies inside the validity window and `issuerAuthorized` holds.
    struct Verification {
        CertificateStatus status;
        uint8 revocationReason;
        uint32 statusListIndex;
        uint32 typeId;
        uint32 agencyId;
        uint32 issuerKeyId;
        uint40 issuedAt;
        uint40 validFrom;
        uint40 validUntil;
        bytes32 supersededBy;
        bool issuerAuthorized;
        bool valid;
    }

    /// @notice An agency registered a kind of certificate it issues.
    event CertificateTypeRegistered(
        uint32 indexed typeId,
        uint32 indexed agencyId,
        bytes32 indexed schemaHash,
        string name,
        bool revocable,
        uint40 defaultValidity
    );
    /// @notice A type stopped accepting new certificates; those already issued stay verifiable.
    event CertificateTypeRetired(uint32 indexed typeId);
    /// @notice A certificate was issued on its own (by {issue}, {issueBatch} or {supersede}).
    /// @dev Topics only: the terms (issuer key, issue time, validity) are in the certificate's one-slot record and
    /// returned by {verifyStatus}. Repeating them as event data would cost 768 gas more per certificate.
    event CertificateIssued(bytes32 indexed certificateId, uint32 indexed typeId, bytes32 indexed holderCommitment);
    /// @notice A batch of `size` certificates was anchored as one Merkle root.
    event BatchAnchored(
        bytes32 indexed root,
        uint32 indexed typeId,
        uint32 issuerKeyId,
        uint32 size,
        uint40 validFrom,
        uint40 validUntil
    );
    /// @notice A certificate of an anchored batch got a record of its own, to be managed individually.
    event AnchoredCertificateDetached(bytes32 indexed certificateId, bytes32 indexed root);
    /// @notice A certificate was revoked for good. `reason` is a code agreed off chain (RFC 5280 CRLReason style).
    event CertificateRevoked(bytes32 indexed certificateId, uint8 reason);
    /// @notice A certificate was suspended until reinstated.
    event CertificateSuspended(bytes32 indexed certificateId);
    /// @notice A suspended certificate is in force again.
    event CertificateReinstated(bytes32 indexed certificateId);
    /// @notice A certificate was replaced by a corrected one.
    event CertificateSuperseded(bytes32 indexed certificateId, bytes32 indexed replacementId);

    /// @notice The directory address given at initialisation was zero.
    error CertificateDirectoryZeroAddress();
    /// @notice Only governance may do this.
    error CertificateGovernanceRequired(address account);
    /// @notice The account may not issue for the agency (nor register its types).
    error CertificateIssuerUnauthorized(address account, uint32 agencyId);
    /// @notice The account may not manage the records the agency issued.
    error CertificateManagerUnauthorized(address account, uint32 agencyId);
    /// @notice The agency does not hold ISSUE_CERTIFICATES now.
    error CertificateAgencyNotCapable(uint32 agencyId);
    /// @notice A type name must be 1 to {MAX_TYPE_NAME_BYTES} bytes long.
    error CertificateTypeNameInvalid(uint256 length);
    /// @notice No type has this id.
    error CertificateTypeUnknown(uint32 typeId);
    /// @notice The type was retired: it accepts no new certificates.
    error CertificateTypeNotActive(uint32 typeId);
    /// @notice Certificates of this type cannot be revoked.
    error CertificateTypeNotRevocable(uint32 typeId);
    /// @notice Zero is not a certificate id nor a Merkle root.
    error CertificateIdZero();
    /// @notice A certificate with this id already has a record.
    error CertificateAlreadyIssued(bytes32 certificateId);
    /// @notice No certificate has a record with this id.
    error CertificateNotFound(bytes32 certificateId);
    /// @notice The certificate's status does not allow the change asked for.
    error CertificateInvalidTransition(bytes32 certificateId, CertificateStatus from, CertificateStatus to);
    /// @notice A validity window must end after it starts (and fit in `uint40`).
    error CertificateValidityInvalid(uint40 validFrom, uint40 validUntil);
    /// @notice A batch needs at least one certificate.
    error CertificateBatchEmpty();
    /// @notice `ids` and `holderCommitments` must have the same length.
    error CertificateBatchLengthMismatch(uint256 ids, uint256 holderCommitments);
    /// @notice This Merkle root was already anchored.
    error CertificateBatchAlreadyAnchored(bytes32 root);
    /// @notice No batch was anchored with this Merkle root.
    error CertificateBatchUnknown(bytes32 root);
    /// @notice The proof does not place the certificate under the root.
    error CertificateProofInvalid(bytes32 certificateId, bytes32 root);

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

    /// @notice Retires a type: no new certificates of it, while those issued stay verifiable. Whoever may manage the
    /// agency's records (its operators, its successor's after dissolution), or governance.
    /// @param typeId The type.
    function retireType(uint32 typeId) external;

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

    /// @notice Issues many certificates of one type and validity in one transaction, each with its own record.
    /// @param typeId The certificate type; the caller must be allowed to issue for its agency.
    /// @param ids The certificate ids.
    /// @param holderCommitments One holder commitment per id, in the same order.
    /// @param validFrom Start of validity for all; 0 for now.
    /// @param validUntil End of validity for all; 0 for the type's default.
    function issueBatch(
        uint32 typeId,
        bytes32[] calldata ids,
        bytes32[] calldata holderCommitments,
        uint40 validFrom,
        uint40 validUntil
    ) external;

    /// @notice Anchors a batch of certificates as one Merkle root: the cost does not depend on the size.
    /// @dev Leaves follow the convention in the contract's description; proofs are checked when the batch is used.
    /// @param root The Merkle root over the certificate ids.
    /// @param typeId The type of every certificate in the batch; the caller must be allowed to issue for its agency.
    /// @param size Number of certificates in the batch (recorded for verifiers and indexers).
    /// @param validFrom Start of validity for all; 0 for now.
    /// @param validUntil End of validity for all; 0 for the type's default.
    function anchorBatch(bytes32 root, uint32 typeId, uint32 size, uint40 validFrom, uint40 validUntil) external;

    /// @notice Revokes a certificate for good. The type must be revocable; an issued or suspended certificate.
    /// Whoever may manage the issuing agency's records, or governance.
    /// @param certificateId The certificate.
    /// @param reason A reason code agreed off chain.
    function revoke(bytes32 certificateId, uint8 reason) external;

    /// @notice Suspends an issued certificate until it is reinstated. Same authority as {revoke}.
    /// @param certificateId The certificate.
    function suspend(bytes32 certificateId) external;

    /// @notice Puts a suspended certificate back in force. Same authority as {revoke}.
    /// @param certificateId The certificate.
    function reinstate(bytes32 certificateId) external;

    /// @notice Replaces an issued or suspended certificate by a corrected one: issues `newId` and marks the old one
    /// Superseded, pointing to the new. The caller must manage the old certificate's records and be allowed to issue
    /// under `typeId` (which may belong to the old agency's successor).
    /// @param oldId The certificate being replaced.
    /// @param newId The corrected certificate.
    /// @param typeId The corrected certificate's type.
    /// @param holderCommitment The corrected certificate's holder commitment.
    /// @param validFrom Start of validity; 0 for now.
    /// @param validUntil End of validity; 0 for the type's default.
    function supersede(
        bytes32 oldId,
        bytes32 newId,
        uint32 typeId,
        bytes32 holderCommitment,
        uint40 validFrom,
        uint40 validUntil
    ) external;

    /// @notice {revoke} for a certificate anchored in a batch.
    /// @param certificateId The certificate.
    /// @param root The batch's Merkle root.
    /// @param proof The certificate's proof in the batch.
    /// @param reason A reason code agreed off chain.
    function revokeAnchored(bytes32 certificateId, bytes32 root, bytes32[] calldata proof, uint8 reason) external;

    /// @notice {suspend} for a certificate anchored in a batch.
    /// @param certificateId The certificate.
    /// @param root The batch's Merkle root.
    /// @param proof The certificate's proof in the batch.
    function suspendAnchored(bytes32 certificateId, bytes32 root, bytes32[] calldata proof) external;

    /// @notice {supersede} for a certificate anchored in a batch.
    /// @param oldId The certificate being replaced.
    /// @param root The old certificate's batch root.
    /// @param proof The old certificate's proof in the batch.
    /// @param newId The corrected certificate.
    /// @param typeId The corrected certificate's type.
    /// @param holderCommitment The corrected certificate's holder commitment.
    /// @param validFrom Start of validity; 0 for now.
    /// @param validUntil End of validity; 0 for the type's default.
    function supersedeAnchored(
        bytes32 oldId,
        bytes32 root,
        bytes32[] calldata proof,
        bytes32 newId,
        uint32 typeId,
        bytes32 holderCommitment,
        uint40 validFrom,
        uint40 validUntil
    ) external;

    /// @notice Status of one certificate.
    /// @param certificateId The certificate id.
    /// @return The stored status (`None` if never issued on its own).
    function statusOf(bytes32 certificateId) external view returns (CertificateStatus);

    /// @notice Status of many certificates in one call.
    /// @param certificateIds The certificate ids.
    /// @return statuses One stored status per id, in the same order.
    function statusOfMany(
        bytes32[] calldata certificateIds
    ) external view returns (CertificateStatus[] memory statuses);

    /// @notice Status of a certificate anchored in a batch: its own record when it has one, Issued when the proof
    /// places it in an anchored batch, None otherwise.
    /// @param certificateId The certificate id.
    /// @param root The batch's Merkle root.
    /// @param proof The certificate's proof in the batch.
    /// @return The status.
    function anchoredStatusOf(
        bytes32 certificateId,
        bytes32 root,
        bytes32[] calldata proof
    ) external view returns (CertificateStatus);

    /// @notice Whether the key that issued a certificate was allowed to at the time, and has not since been
    /// reported compromised from a time at or before the issuance. A key removed later does not matter.
    /// @dev True for certificates governance issued (key id 0).
    /// @param certificateId A certificate with a record of its own.
    /// @return True when the issuer was authorized.
    function issuerWasAuthorized(bytes32 certificateId) external view returns (bool);

    /// @notice {issuerWasAuthorized} for a certificate anchored in a batch.
    /// @param certificateId The certificate id.
    /// @param root The batch's Merkle root.
    /// @param proof The certificate's proof in the batch.
    /// @return True when the issuer was authorized.
    function anchoredIssuerWasAuthorized(
        bytes32 certificateId,
        bytes32 root,
        bytes32[] calldata proof
    ) external view returns (bool);

    /// @notice Everything a verifier needs about a certificate with a record of its own; all zero when it has none.
    /// @param certificateId The certificate id.
    /// @return The verification.
    function verifyStatus(bytes32 certificateId) external view returns (Verification memory);

    /// @notice {verifyStatus} for a certificate anchored in a batch; all zero when the proof does not place it in an
    /// anchored batch and it has no record of its own.
    /// @param certificateId The certificate id.
    /// @param root The batch's Merkle root.
    /// @param proof The certificate's proof in the batch.
    /// @return The verification.
    function verifyAnchoredStatus(
        bytes32 certificateId,
        bytes32 root,
        bytes32[] calldata proof
    ) external view returns (Verification memory);

    /// @notice The certificate that replaced `certificateId`, or zero.
    /// @param certificateId The certificate id.
    /// @return The replacement's id.
    function supersededBy(bytes32 certificateId) external view returns (bytes32);

    /// @notice A certificate type.
    /// @param typeId The type.
    /// @return The type.
    function certificateType(uint32 typeId) external view returns (CertificateType memory);

    /// @notice The anchored batch with this root.
    /// @param root The Merkle root.
    /// @return typeId The type of its certificates (0 when no such batch).
    /// @return issuerKeyId The key that anchored it (0 for governance).
    /// @return size The number of certificates declared.
    /// @return anchoredAt When it was anchored.
    /// @return validFrom Start of validity.
    /// @return validUntil End of validity (0: never).
    function batch(
        bytes32 root
    )
        external
        view
        returns (
            uint32 typeId,
            uint32 issuerKeyId,
            uint32 size,
            uint40 anchoredAt,
            uint40 validFrom,
            uint40 validUntil
        );

    /// @notice The number of types ever registered; ids run from 1 to this.
    /// @return The count.
    function typeCount() external view returns (uint32);

    /// @notice The agency directory this registry asks for authority.
    /// @return The directory's address.
    function directory() external view returns (address);
}

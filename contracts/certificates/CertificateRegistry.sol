// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {Initializable} from "@openzeppelin/contracts-upgradeable/proxy/utils/Initializable.sol";
import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

import {ICertificateRegistry} from "../interfaces/ICertificateRegistry.sol";
import {CertificateRecord, CertificateRecordLib} from "../libraries/CertificateRecordLib.sol";
import {IAgencyDirectory} from "../interfaces/IAgencyDirectory.sol";
import {Capabilities} from "../common/Capabilities.sol";

/// @title CertificateRegistry
/// @notice On-chain status of electronic certificates issued by government agencies. See {ICertificateRegistry}.
/// @dev UUPS proxy; governance (as the agency directory reports it) upgrades. Every certificate's record is one
/// packed word ({CertificateRecord}), so issuing writes one new slot and checking a status reads one. Who may act
/// is never stored here: the directory answers it, now (on issuance and management) and at issuance time (on
/// verification).
contract CertificateRegistry is ICertificateRegistry, Initializable, UUPSUpgradeable {
    /// @dev The part of a type read on every issuance and status change, loaded with one SLOAD. Slot layout:
    /// agencyId 4 | revocable 1 | retired 1 | defaultValidity 5 | free 21 bytes. `agencyId` 0 means no such type.
    struct TypeTerms {
        uint32 agencyId;
        bool revocable;
        bool retired;
        uint40 defaultValidity;
    }

    /// @dev The part of a type only front-ends read.
    struct TypeProfile {
        bytes32 schemaHash;
        string name;
    }

    /// @dev A batch anchored as one Merkle root. Slot layout (one slot): typeId 4 | issuerKeyId 4 | size 4 |
    /// anchoredAt 5 | validFrom 5 | validUntil 5 | free 5 bytes. `anchoredAt` 0 means no such batch.
    struct AnchoredBatch {
        uint32 typeId;
        uint32 issuerKeyId;
        uint32 size;
        uint40 anchoredAt;
        uint40 validFrom;
        uint40 validUntil;
    }

    /// @custom:storage-location erc7201:govchain.storage.CertificateRegistry
    struct CertificateRegistryStorage {
        IAgencyDirectory directory;
        uint32 typeCount;
        mapping(uint32 typeId => TypeTerms) typeTerms;
        mapping(uint32 typeId => TypeProfile) typeProfiles;
        mapping(bytes32 certificateId => CertificateRecord) records;
        mapping(bytes32 root => AnchoredBatch) batches;
        mapping(bytes32 certificateId => bytes32 replacementId) replacements;
    }

    // keccak256(abi.encode(uint256(keccak256("govchain.storage.CertificateRegistry")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant STORAGE_LOCATION = 0x9c49ab578574b04779e6f2647b8e21503a3a981898c2d04554981eb7e93b2800;

    /// @notice Longest type name, in bytes of UTF-8.
    uint256 public constant MAX_TYPE_NAME_BYTES = 128;
    /// @notice Implementation version (semver).
    string public constant VERSION = "1.0.0";

    /// @dev Issuer key id recorded when governance, which holds no operator key, issues.
    uint32 private constant GOVERNANCE_KEY = 0;

    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() {
        _disableInitializers();
    }

    /// @notice Sets up the registry behind its proxy.
    /// @param directory_ The agency directory that answers who may act for which agency.
    function initialize(address directory_) external initializer {
        if (directory_ == address(0)) revert CertificateDirectoryZeroAddress();
        _storage().directory = IAgencyDirectory(directory_);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Types
    // ---------------------------------------------------------------------------------------------------------------

    /// @inheritdoc ICertificateRegistry
    function registerType(
        uint32 agencyId,
        string calldata name,
        bytes32 schemaHash,
        bool revocable,
        uint40 defaultValidity
    ) external returns (uint32 typeId) {
        CertificateRegistryStorage storage $ = _storage();
        IAgencyDirectory directory_ = $.directory;
        if (!directory_.canAct(msg.sender, agencyId, Capabilities.ISSUE_CERTIFICATES)) {
            if (!directory_.isGovernor(msg.sender)) revert CertificateIssuerUnauthorized(msg.sender, agencyId);
            // Governance may register for an agency, but only for one that may issue at all.
            if (agencyId == 0 || directory_.effectiveCapabilities(agencyId) & Capabilities.ISSUE_CERTIFICATES == 0)
                revert CertificateAgencyNotCapable(agencyId);
        }
        uint256 nameLength = bytes(name).length;
        if (nameLength == 0 || nameLength > MAX_TYPE_NAME_BYTES) revert CertificateTypeNameInvalid(nameLength);
        typeId = ++$.typeCount;
        $.typeTerms[typeId] = TypeTerms({
            agencyId: agencyId,
            revocable: revocable,
            retired: false,
            defaultValidity: defaultValidity
        });
        $.typeProfiles[typeId] = TypeProfile({schemaHash: schemaHash, name: name});
        emit CertificateTypeRegistered(typeId, agencyId, schemaHash, name, revocable, defaultValidity);
    }

    /// @inheritdoc ICertificateRegistry
    function retireType(uint32 typeId) external {
        CertificateRegistryStorage storage $ = _storage();
        TypeTerms storage terms = $.typeTerms[typeId];
        if (terms.agencyId == 0) revert CertificateTypeUnknown(typeId);
        _requireManager($.directory, terms.agencyId);
        if (terms.retired) revert CertificateTypeNotActive(typeId);
        terms.retired = true;
        emit CertificateTypeRetired(typeId);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Issuance
    // ---------------------------------------------------------------------------------------------------------------

    /// @inheritdoc ICertificateRegistry
    function issue(
        bytes32 certificateId,
        uint32 typeId,
        bytes32 holderCommitment,
        uint40 validFrom,
        uint40 validUntil
    ) external {
        CertificateRegistryStorage storage $ = _storage();
        CertificateRecord record = _authorizeIssuance($, typeId, validFrom, validUntil);
        _issue($, certificateId, typeId, holderCommitment, record);
    }

    /// @inheritdoc ICertificateRegistry
    function issueBatch(
        uint32 typeId,
        bytes32[] calldata ids,
        bytes32[] calldata holderCommitments,
        uint40 validFrom,
        uint40 validUntil
    ) external {
        uint256 count = ids.length;
        if (count == 0) revert CertificateBatchEmpty();
        if (holderCommitments.length != count) revert CertificateBatchLengthMismatch(count, holderCommitments.length);
        CertificateRegistryStorage storage $ = _storage();
        // Every certificate of the batch gets the same record word; only its key differs.
        CertificateRecord record = _authorizeIssuance($, typeId, validFrom, validUntil);
        for (uint256 i = 0; i < count;) {
            _issue($, ids[i], typeId, holderCommitments[i], record);
            unchecked {
                ++i;
            }
        }
    }

    /// @inheritdoc ICertificateRegistry
    function anchorBatch(bytes32 root, uint32 typeId, uint32 size, uint40 validFrom, uint40 validUntil) external {
        if (root == 0) revert CertificateIdZero();
        if (size == 0) revert CertificateBatchEmpty();
        CertificateRegistryStorage storage $ = _storage();
        CertificateRecord terms = _authorizeIssuance($, typeId, validFrom, validUntil);
        AnchoredBatch storage batch_ = $.batches[root];
        if (batch_.anchoredAt != 0) revert CertificateBatchAlreadyAnchored(root);
        uint32 keyId = terms.issuerKeyId();
        uint40 from = terms.validFrom();
        uint40 until = terms.validUntil();
        $.batches[root] = AnchoredBatch({
            typeId: typeId,
            issuerKeyId: keyId,
            size: size,
            anchoredAt: terms.issuedAt(),
            validFrom: from,
            validUntil: until
        });
        emit BatchAnchored(root, typeId, keyId, size, from, until);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Lifecycle
    // ---------------------------------------------------------------------------------------------------------------

    /// @inheritdoc ICertificateRegistry
    function revoke(bytes32 certificateId, uint8 reason) external {
        CertificateRegistryStorage storage $ = _storage();
        _update($, certificateId, _existingRecord($, certificateId), CertificateStatus.Revoked, reason);
        emit CertificateRevoked(certificateId, reason);
    }

    /// @inheritdoc ICertificateRegistry
    function suspend(bytes32 certificateId) external {
        CertificateRegistryStorage storage $ = _storage();
        _update($, certificateId, _existingRecord($, certificateId), CertificateStatus.Suspended, 0);
        emit CertificateSuspended(certificateId);
    }

    /// @inheritdoc ICertificateRegistry
    function reinstate(bytes32 certificateId) external {
        CertificateRegistryStorage storage $ = _storage();
        _update($, certificateId, _existingRecord($, certificateId), CertificateStatus.Issued, 0);
        emit CertificateReinstated(certificateId);
    }

    /// @inheritdoc ICertificateRegistry
    function supersede(
        bytes32 oldId,
        bytes32 newId,
        uint32 typeId,
        bytes32 holderCommitment,
        uint40 validFrom,
        uint40 validUntil
    ) external {
        CertificateRegistryStorage storage $ = _storage();
        _update($, oldId, _existingRecord($, oldId), CertificateStatus.Superseded, 0);
        _supersede($, oldId, newId, typeId, holderCommitment, validFrom, validUntil);
    }

    /// @inheritdoc ICertificateRegistry
    function revokeAnchored(bytes32 certificateId, bytes32 root, bytes32[] calldata proof, uint8 reason) external {
        CertificateRegistryStorage storage $ = _storage();
        _update($, certificateId, _detach($, certificateId, root, proof), CertificateStatus.Revoked, reason);
        emit CertificateRevoked(certificateId, reason);
    }

    /// @inheritdoc ICertificateRegistry
    function suspendAnchored(bytes32 certificateId, bytes32 root, bytes32[] calldata proof) external {
        CertificateRegistryStorage storage $ = _storage();
        _update($, certificateId, _detach($, certificateId, root, proof), CertificateStatus.Suspended, 0);
        emit CertificateSuspended(certificateId);
    }

    /// @inheritdoc ICertificateRegistry
    function supersedeAnchored(
        bytes32 oldId,
        bytes32 root,
        bytes32[] calldata proof,
        bytes32 newId,
        uint32 typeId,
        bytes32 holderCommitment,
        uint40 validFrom,
        uint40 validUntil
    ) external {
        CertificateRegistryStorage storage $ = _storage();
        _update($, oldId, _detach($, oldId, root, proof), CertificateStatus.Superseded, 0);
        _supersede($, oldId, newId, typeId, holderCommitment, validFrom, validUntil);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Views
    // ---------------------------------------------------------------------------------------------------------------

    /// @inheritdoc ICertificateRegistry
    function statusOf(bytes32 certificateId) external view returns (CertificateStatus) {
        return _storage().records[certificateId].status();
    }

    /// @inheritdoc ICertificateRegistry
    function statusOfMany(
        bytes32[] calldata certificateIds
    ) external view returns (CertificateStatus[] memory statuses) {
        mapping(bytes32 => CertificateRecord) storage records = _storage().records;
        uint256 count = certificateIds.length;
        statuses = new CertificateStatus[](count);
        for (uint256 i = 0; i < count;) {
            statuses[i] = records[certificateIds[i]].status();
            unchecked {
                ++i;
            }
        }
    }

    /// @inheritdoc ICertificateRegistry
    function anchoredStatusOf(
        bytes32 certificateId,
        bytes32 root,
        bytes32[] calldata proof
    ) external view returns (CertificateStatus) {
        return _anchoredRecord(_storage(), certificateId, root, proof).status();
    }

    /// @inheritdoc ICertificateRegistry
    function issuerWasAuthorized(bytes32 certificateId) external view returns (bool) {
        CertificateRegistryStorage storage $ = _storage();
        return _issuerWasAuthorized($.directory, _existingRecord($, certificateId));
    }

    /// @inheritdoc ICertificateRegistry
    function anchoredIssuerWasAuthorized(
        bytes32 certificateId,
        bytes32 root,
        bytes32[] calldata proof
    ) external view returns (bool) {
        CertificateRegistryStorage storage $ = _storage();
        CertificateRecord record = _anchoredRecord($, certificateId, root, proof);
        if (record.isEmpty()) revert CertificateNotFound(certificateId);
        return _issuerWasAuthorized($.directory, record);
    }

    /// @inheritdoc ICertificateRegistry
    function verifyStatus(bytes32 certificateId) external view returns (Verification memory) {
        CertificateRegistryStorage storage $ = _storage();
        return _verification($, certificateId, $.records[certificateId]);
    }

    /// @inheritdoc ICertificateRegistry
    function verifyAnchoredStatus(
        bytes32 certificateId,
        bytes32 root,
        bytes32[] calldata proof
    ) external view returns (Verification memory) {
        CertificateRegistryStorage storage $ = _storage();
        return _verification($, certificateId, _anchoredRecord($, certificateId, root, proof));
    }

    /// @inheritdoc ICertificateRegistry
    function supersededBy(bytes32 certificateId) external view returns (bytes32) {
        return _storage().replacements[certificateId];
    }

    /// @inheritdoc ICertificateRegistry
    function certificateType(uint32 typeId) external view returns (CertificateType memory) {
        CertificateRegistryStorage storage $ = _storage();
        TypeTerms memory terms = $.typeTerms[typeId];
        if (terms.agencyId == 0) revert CertificateTypeUnknown(typeId);
        TypeProfile storage profile = $.typeProfiles[typeId];
        return
            CertificateType({
                agencyId: terms.agencyId,
                revocable: terms.revocable,
                retired: terms.retired,
                defaultValidity: terms.defaultValidity,
                schemaHash: profile.schemaHash,
                name: profile.name
            });
    }

    /// @inheritdoc ICertificateRegistry
    function batch(
        bytes32 root
    )
        external
        view
        returns (uint32 typeId, uint32 issuerKeyId, uint32 size, uint40 anchoredAt, uint40 validFrom, uint40 validUntil)
    {
        AnchoredBatch storage batch_ = _storage().batches[root];
        return (batch_.typeId, batch_.issuerKeyId, batch_.size, batch_.anchoredAt, batch_.validFrom, batch_.validUntil);
    }

    /// @inheritdoc ICertificateRegistry
    function typeCount() external view returns (uint32) {
        return _storage().typeCount;
    }

    /// @inheritdoc ICertificateRegistry
    function directory() external view returns (address) {
        return address(_storage().directory);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Internal
    // ---------------------------------------------------------------------------------------------------------------

    /// @dev Only governance upgrades the registry.
    function _authorizeUpgrade(address) internal view override {
        if (!_storage().directory.isGovernor(msg.sender)) revert CertificateGovernanceRequired(msg.sender);
    }

    /// @dev Writes a new certificate record. Every issuance (single, batch, supersede) goes through here.
    function _issue(
        CertificateRegistryStorage storage $,
        bytes32 certificateId,
        uint32 typeId,
        bytes32 holderCommitment,
        CertificateRecord record
    ) private {
        if (certificateId == 0) revert CertificateIdZero();
        if (!$.records[certificateId].isEmpty()) revert CertificateAlreadyIssued(certificateId);
        $.records[certificateId] = record;
        emit CertificateIssued(certificateId, typeId, holderCommitment);
    }

    /// @dev Every status change of an existing record goes through here: the caller must manage the records of the
    /// certificate's agency, the transition must be allowed (and revocation allowed by the type); then the new
    /// status (and revocation reason) is written. Callers emit the event that names the change.
    function _update(
        CertificateRegistryStorage storage $,
        bytes32 certificateId,
        CertificateRecord record,
        CertificateStatus to,
        uint8 reason
    ) private {
        uint32 typeId = record.typeId();
        TypeTerms storage terms = $.typeTerms[typeId];
        _requireManager($.directory, terms.agencyId);
        CertificateStatus from = record.status();
        bool allowed;
        if (to == CertificateStatus.Suspended) allowed = from == CertificateStatus.Issued;
        else if (to == CertificateStatus.Issued) allowed = from == CertificateStatus.Suspended;
        else allowed = from == CertificateStatus.Issued || from == CertificateStatus.Suspended;
        if (!allowed) revert CertificateInvalidTransition(certificateId, from, to);
        if (to == CertificateStatus.Revoked) {
            if (!terms.revocable) revert CertificateTypeNotRevocable(typeId);
            $.records[certificateId] = record.withRevocation(reason);
        } else {
            $.records[certificateId] = record.withStatus(to);
        }
    }

    /// @dev Issues `newId` and links `oldId` to it; `oldId` was just marked Superseded by the caller.
    function _supersede(
        CertificateRegistryStorage storage $,
        bytes32 oldId,
        bytes32 newId,
        uint32 typeId,
        bytes32 holderCommitment,
        uint40 validFrom,
        uint40 validUntil
    ) private {
        _issue($, newId, typeId, holderCommitment, _authorizeIssuance($, typeId, validFrom, validUntil));
        $.replacements[oldId] = newId;
        emit CertificateSuperseded(oldId, newId);
    }

    /// @dev The record of an anchored certificate, written from its batch on first use. A certificate that already
    /// has a record keeps it: the record answers for the id from then on.
    function _detach(
        CertificateRegistryStorage storage $,
        bytes32 certificateId,
        bytes32 root,
        bytes32[] calldata proof
    ) private returns (CertificateRecord record) {
        record = $.records[certificateId];
        if (!record.isEmpty()) return record;
        AnchoredBatch memory batch_ = $.batches[root];
        if (batch_.anchoredAt == 0) revert CertificateBatchUnknown(root);
        if (!MerkleProof.verifyCalldata(proof, root, _leaf(certificateId))) {
            revert CertificateProofInvalid(certificateId, root);
        }
        record = _recordFromBatch(batch_);
        $.records[certificateId] = record;
        emit AnchoredCertificateDetached(certificateId, root);
    }

    /// @dev Checks the type and the caller's authority to issue under it, settles the validity window, and returns
    /// the record a certificate issued now gets.
    function _authorizeIssuance(
        CertificateRegistryStorage storage $,
        uint32 typeId,
        uint40 validFrom,
        uint40 validUntil
    ) private view returns (CertificateRecord) {
        TypeTerms memory terms = $.typeTerms[typeId];
        uint32 agencyId = terms.agencyId;
        if (agencyId == 0) revert CertificateTypeUnknown(typeId);
        if (terms.retired) revert CertificateTypeNotActive(typeId);
        IAgencyDirectory directory_ = $.directory;
        uint32 keyId = directory_.authorizedKey(msg.sender, agencyId, Capabilities.ISSUE_CERTIFICATES);
        if (keyId == GOVERNANCE_KEY && !directory_.isGovernor(msg.sender)) {
            revert CertificateIssuerUnauthorized(msg.sender, agencyId);
        }
        uint40 now_ = _now();
        uint40 from = validFrom == 0 ? now_ : validFrom;
        uint40 until = validUntil;
        if (until != 0) {
            if (until <= from) revert CertificateValidityInvalid(from, until);
        } else if (terms.defaultValidity != 0) {
            until = SafeCast.toUint40(uint256(from) + terms.defaultValidity);
        }
        return CertificateRecordLib.issued(typeId, keyId, now_, from, until);
    }

    /// @dev The record that answers for an id claimed to be in the batch `root`: its own when it has one, else one
    /// built from the batch when the proof holds, else an empty one.
    function _anchoredRecord(
        CertificateRegistryStorage storage $,
        bytes32 certificateId,
        bytes32 root,
        bytes32[] calldata proof
    ) private view returns (CertificateRecord record) {
        record = $.records[certificateId];
        if (!record.isEmpty()) return record;
        AnchoredBatch memory batch_ = $.batches[root];
        if (batch_.anchoredAt != 0 && MerkleProof.verifyCalldata(proof, root, _leaf(certificateId))) {
            record = _recordFromBatch(batch_);
        }
    }

    function _verification(
        CertificateRegistryStorage storage $,
        bytes32 certificateId,
        CertificateRecord record
    ) private view returns (Verification memory v) {
        if (record.isEmpty()) return v;
        v.status = record.status();
        v.revocationReason = record.revocationReason();
        v.statusListIndex = record.statusListIndex();
        v.typeId = record.typeId();
        v.agencyId = $.typeTerms[v.typeId].agencyId;
        v.issuerKeyId = record.issuerKeyId();
        v.issuedAt = record.issuedAt();
        v.validFrom = record.validFrom();
        v.validUntil = record.validUntil();
        if (v.status == CertificateStatus.Superseded) v.supersededBy = $.replacements[certificateId];
        v.issuerAuthorized = _issuerWasAuthorized($.directory, record);
        uint40 now_ = _now();
        v.valid =
            v.status == CertificateStatus.Issued &&
            v.issuerAuthorized &&
            now_ >= v.validFrom &&
            (v.validUntil == 0 || now_ < v.validUntil);
    }

    function _issuerWasAuthorized(IAgencyDirectory directory_, CertificateRecord record) private view returns (bool) {
        uint32 keyId = record.issuerKeyId();
        if (keyId == GOVERNANCE_KEY) return true;
        return directory_.couldKeyActAt(keyId, Capabilities.ISSUE_CERTIFICATES, record.issuedAt());
    }

    function _requireManager(IAgencyDirectory directory_, uint32 agencyId) private view {
        if (
            !directory_.canActForRecordsOf(msg.sender, agencyId, Capabilities.ISSUE_CERTIFICATES) &&
            !directory_.isGovernor(msg.sender)
        ) revert CertificateManagerUnauthorized(msg.sender, agencyId);
    }

    function _existingRecord(
        CertificateRegistryStorage storage $,
        bytes32 certificateId
    ) private view returns (CertificateRecord record) {
        record = $.records[certificateId];
        if (record.isEmpty()) revert CertificateNotFound(certificateId);
    }

    function _recordFromBatch(AnchoredBatch memory batch_) private pure returns (CertificateRecord) {
        return
            CertificateRecordLib.issued(
                batch_.typeId,
                batch_.issuerKeyId,
                batch_.anchoredAt,
                batch_.validFrom,
                batch_.validUntil
            );
    }

    /// @dev The leaf of OpenZeppelin's StandardMerkleTree for a single `bytes32` value (double hashed, so that no
    /// leaf can be mistaken for an inner node).
    function _leaf(bytes32 certificateId) private pure returns (bytes32) {
        return keccak256(bytes.concat(keccak256(abi.encode(certificateId))));
    }

    /// @dev Block time as `uint40`, which lasts until the year 36812.
    function _now() private view returns (uint40) {
        return uint40(block.timestamp);
    }

    function _storage() private pure returns (CertificateRegistryStorage storage $) {
        // solhint-disable-next-line no-inline-assembly
        assembly {
            $.slot := STORAGE_LOCATION
        }
    }
}

// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {EIP712Upgradeable} from "@openzeppelin/contracts-upgradeable/utils/cryptography/EIP712Upgradeable.sol";
import {NoncesUpgradeable} from "@openzeppelin/contracts-upgradeable/utils/NoncesUpgradeable.sol";
import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";

import {IAgencyDirectory} from "../interfaces/IAgencyDirectory.sol";
import {IDataSharingRegistry} from "../interfaces/IDataSharingRegistry.sol";
import {Capabilities} from "../common/Capabilities.sol";
import {Requester, RequesterLib} from "../libraries/Requester.sol";
import {DatasetCatalogue} from "./DatasetCatalogue.sol";

/// @title DataSharingRegistry
/// @notice Who may access which dataset for which purpose until when, and the receipts of every access. See
/// {IDataSharingRegistry}.
/// @dev UUPS proxy; governance as the directory knows it upgrades. Every permission (a consent, or an approved
/// inter-agency request) lives in one slot under the keccak of its access key, so {checkAccess} reads the dataset's
/// first slot, one standing word and one permission: three cold reads. Signed consents use EIP-712 with a per-subject
/// nonce and a deadline, verified by OpenZeppelin's SignatureChecker (ECDSA with low-s only, or EIP-1271).
contract DataSharingRegistry is DatasetCatalogue, EIP712Upgradeable, NoncesUpgradeable, UUPSUpgradeable {
    /// @notice Implementation version (semver).
    string public constant VERSION = "1.0.0";

    // The type strings are hashed at compile time; their length costs nothing at run time.
    // solhint-disable gas-small-strings
    /// @notice EIP-712 type of a signed consent.
    bytes32 public constant CONSENT_GRANT_TYPEHASH = keccak256(
        "ConsentGrant(address subject,uint192 requester,uint32 datasetId,bytes32 purpose,uint40 expiresAt,"
        "bool singleUse,uint256 nonce,uint256 deadline)"
    );
    /// @notice EIP-712 type of a signed revocation.
    bytes32 public constant CONSENT_REVOCATION_TYPEHASH = keccak256(
        "ConsentRevocation(address subject,uint192 requester,uint32 datasetId,bytes32 purpose,uint256 nonce,"
        "uint256 deadline)"
    );
    // solhint-enable gas-small-strings

    // Bit offsets of fields in the one-slot records, as Solidity packs them (first field lowest). They must follow
    // the struct declarations in {DatasetCatalogue}; the access tests exercise every one of them.
    uint256 private constant DATASET_PURPOSE_SET = 64; // after ownerAgencyId 32 | version 32
    uint256 private constant DATASET_SENSITIVITY = 96;
    uint256 private constant DATASET_SHARING = 104;
    uint256 private constant DATASET_WITHDRAWN = 112;
    uint256 private constant GRANT_EXPIRES_AT = 64; // after id 64
    uint256 private constant GRANT_STATE = 104;
    uint256 private constant GRANT_PURPOSE_SET = 120; // after singleUse 8

    string private constant EIP712_NAME = "GovChain DataSharingRegistry";
    string private constant EIP712_VERSION = "1";

    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() {
        _disableInitializers();
    }

    /// @notice Sets up the registry behind its proxy.
    /// @param agencyDirectory The agency directory it asks for authority and standing.
    function initialize(address agencyDirectory) external initializer {
        if (agencyDirectory == address(0)) revert DataSharingDirectoryZero();
        __EIP712_init(EIP712_NAME, EIP712_VERSION);
        __Nonces_init();
        _storage().directory = IAgencyDirectory(agencyDirectory);
    }

    // -------------------------------------------------------------------------------------------------------------
    // Consent
    // -------------------------------------------------------------------------------------------------------------

    /// @inheritdoc IDataSharingRegistry
    function grantConsent(
        Requester requester,
        uint32 datasetId,
        bytes32 purpose,
        uint40 expiresAt,
        bool singleUse
    ) external returns (uint64 grantId) {
        return _grantConsent(msg.sender, requester, datasetId, purpose, expiresAt, singleUse);
    }

    /// @inheritdoc IDataSharingRegistry
    function revokeConsent(Requester requester, uint32 datasetId, bytes32 purpose) external {
        _revokeConsent(msg.sender, requester, datasetId, purpose);
    }

    /// @inheritdoc IDataSharingRegistry
    function grantConsentBySig(
        ConsentGrant calldata consent,
        bytes calldata signature
    ) external returns (uint64 grantId) {
        bytes32 structHash = keccak256(
            abi.encode(
                CONSENT_GRANT_TYPEHASH,
                consent.subject,
                consent.requester,
                consent.datasetId,
                consent.purpose,
                consent.expiresAt,
                consent.singleUse,
                consent.nonce,
                consent.deadline
            )
        );
        _useSignature(consent.subject, consent.nonce, consent.deadline, structHash, signature);
        return
            _grantConsent(
                consent.subject,
                consent.requester,
                consent.datasetId,
                consent.purpose,
                consent.expiresAt,
                consent.singleUse
            );
    }

    /// @inheritdoc IDataSharingRegistry
    function revokeConsentBySig(ConsentRevocation calldata revocation, bytes calldata signature) external {
        bytes32 structHash = keccak256(
            abi.encode(
                CONSENT_REVOCATION_TYPEHASH,
                revocation.subject,
                revocation.requester,
                revocation.datasetId,
                revocation.purpose,
                revocation.nonce,
                revocation.deadline
            )
        );
        _useSignature(revocation.subject, revocation.nonce, revocation.deadline, structHash, signature);
        _revokeConsent(revocation.subject, revocation.requester, revocation.datasetId, revocation.purpose);
    }

    // -------------------------------------------------------------------------------------------------------------
    // Inter-agency requests
    // -------------------------------------------------------------------------------------------------------------

    /// @inheritdoc IDataSharingRegistry
    function requestAccess(
        uint32 requesterAgencyId,
        uint32 datasetId,
        bytes32 purpose,
        bytes32 legalBasisHash
    ) external returns (uint64 requestId) {
        DataSharingRegistryStorage storage $ = _storage();
        if (!$.directory.canAct(msg.sender, requesterAgencyId, Capabilities.REQUEST_DATA)) {
            revert AccessRequesterRequired(requesterAgencyId, msg.sender);
        }
        Dataset storage record = _activeDataset($, datasetId);
        if (record.sharing != SharingCategory.Conditional) revert DatasetNotRequestable(datasetId, record.sharing);
        _requireListed($, datasetId, record, purpose);
        _syncAgency($, requesterAgencyId);
        requestId = ++$.lastGrantId;
        $.requests[requestId] = Request({
            requesterAgencyId: requesterAgencyId,
            datasetId: datasetId,
            status: RequestStatus.Pending,
            filedAt: _now(),
            expiresAt: 0,
            purpose: purpose
        });
        emit AccessRequested(requestId, requesterAgencyId, datasetId, purpose, legalBasisHash, msg.sender);
    }

    /// @inheritdoc IDataSharingRegistry
    function approveRequest(uint64 requestId, uint40 expiresAt) external {
        DataSharingRegistryStorage storage $ = _storage();
        Request storage request = _pendingRequest($, requestId);
        uint32 datasetId = request.datasetId;
        Dataset storage record = _activeDataset($, datasetId);
        _requirePublisher($, record.ownerAgencyId);
        bytes32 purpose = request.purpose;
        uint32 purposeSet = _requireListed($, datasetId, record, purpose);
        _requireFuture(expiresAt);
        request.status = RequestStatus.Approved;
        request.expiresAt = expiresAt;
        bytes32 key = _accessKey(address(0), RequesterLib.fromAgency(request.requesterAgencyId), datasetId, purpose);
        $.grants[key] = Grant({
            id: requestId,
            expiresAt: expiresAt,
            state: GrantState.Active,
            singleUse: false,
            purposeSet: purposeSet
        });
        emit AccessRequestApproved(requestId, expiresAt, msg.sender);
    }

    /// @inheritdoc IDataSharingRegistry
    function denyRequest(uint64 requestId, uint16 reasonCode) external {
        DataSharingRegistryStorage storage $ = _storage();
        Request storage request = _pendingRequest($, requestId);
        _requirePublisher($, $.datasets[request.datasetId].ownerAgencyId);
        request.status = RequestStatus.Denied;
        emit AccessRequestDenied(requestId, reasonCode, msg.sender);
    }

    /// @inheritdoc IDataSharingRegistry
    function revokeApproval(uint64 requestId, uint16 reasonCode) external {
        DataSharingRegistryStorage storage $ = _storage();
        Request storage request = _existingRequest($, requestId);
        if (request.status != RequestStatus.Approved) revert AccessRequestStatusInvalid(requestId, request.status);
        uint32 datasetId = request.datasetId;
        _requirePublisher($, $.datasets[datasetId].ownerAgencyId);
        request.status = RequestStatus.Revoked;
        bytes32 key = _accessKey(
            address(0),
            RequesterLib.fromAgency(request.requesterAgencyId),
            datasetId,
            request.purpose
        );
        Grant storage approval = $.grants[key];
        // A later approval for the same key replaced this one; it stays in force.
        if (approval.id == requestId) approval.state = GrantState.Revoked;
        emit AccessApprovalRevoked(requestId, reasonCode, msg.sender);
    }

    // -------------------------------------------------------------------------------------------------------------
    // Access
    // -------------------------------------------------------------------------------------------------------------

    /// @inheritdoc IDataSharingRegistry
    function recordAccess(
        address subject,
        Requester requester,
        uint32 datasetId,
        bytes32 purpose,
        bytes32 recordHash
    ) external returns (uint64 grantId) {
        DataSharingRegistryStorage storage $ = _storage();
        (AccessReason reason, uint64 id, bytes32 key) = _evaluate($, subject, requester, datasetId, purpose);
        if (reason != AccessReason.Allowed) revert AccessDenied(subject, requester, datasetId, purpose, reason);
        _requireRecorder($, requester, datasetId);
        if (key != bytes32(0)) {
            Grant storage permission = $.grants[key];
            if (permission.singleUse) permission.state = GrantState.Consumed;
        }
        emit AccessRecorded(subject, datasetId, id, requester, purpose, recordHash);
        return id;
    }

    /// @inheritdoc IDataSharingRegistry
    function checkAccess(
        address subject,
        Requester requester,
        uint32 datasetId,
        bytes32 purpose
    ) external view returns (bool allowed, AccessReason reason, uint64 grantId) {
        (reason, grantId, ) = _evaluate(_storage(), subject, requester, datasetId, purpose);
        return (reason == AccessReason.Allowed, reason, grantId);
    }

    // -------------------------------------------------------------------------------------------------------------
    // Views
    // -------------------------------------------------------------------------------------------------------------

    /// @inheritdoc IDataSharingRegistry
    function grantOf(
        address subject,
        Requester requester,
        uint32 datasetId,
        bytes32 purpose
    ) external view returns (GrantView memory) {
        Grant storage permission = _storage().grants[_accessKey(subject, requester, datasetId, purpose)];
        return
            GrantView({
                id: permission.id,
                state: permission.state,
                singleUse: permission.singleUse,
                expiresAt: permission.expiresAt
            });
    }

    /// @inheritdoc IDataSharingRegistry
    function accessRequest(uint64 requestId) external view returns (AccessRequestView memory) {
        Request storage request = _existingRequest(_storage(), requestId);
        return
            AccessRequestView({
                requesterAgencyId: request.requesterAgencyId,
                datasetId: request.datasetId,
                status: request.status,
                filedAt: request.filedAt,
                expiresAt: request.expiresAt,
                purpose: request.purpose
            });
    }

    /// @inheritdoc IDataSharingRegistry
    function nonces(address subject) public view override(IDataSharingRegistry, NoncesUpgradeable) returns (uint256) {
        return super.nonces(subject);
    }

    // -------------------------------------------------------------------------------------------------------------
    // Internal
    // -------------------------------------------------------------------------------------------------------------

    /// @dev Only governance, as the directory knows it, upgrades the registry.
    function _authorizeUpgrade(address) internal view override {
        if (!_storage().directory.isGovernor(msg.sender)) revert DataSharingGovernorRequired(msg.sender);
    }

    /// @dev The EIP-712 domain name, as a constant: saves two storage reads per signed consent.
    // solhint-disable-next-line func-name-mixedcase
    function _EIP712Name() internal pure override returns (string memory) {
        return EIP712_NAME;
    }

    /// @dev The EIP-712 domain version, as a constant. (The name is OpenZeppelin's hook, hence not mixedCase.)
    // solhint-disable-next-line func-name-mixedcase
    function _EIP712Version() internal pure override returns (string memory) {
        return EIP712_VERSION;
    }

    function _grantConsent(
        address subject,
        Requester requester,
        uint32 datasetId,
        bytes32 purpose,
        uint40 expiresAt,
        bool singleUse
    ) private returns (uint64 grantId) {
        if (!requester.isValid()) revert RequesterInvalid(requester);
        DataSharingRegistryStorage storage $ = _storage();
        Dataset storage record = _activeDataset($, datasetId);
        if (!_isPersonal(record.sensitivity)) revert DatasetNotPersonal(datasetId, record.sensitivity);
        uint32 purposeSet = _requireListed($, datasetId, record, purpose);
        _requireFuture(expiresAt);
        // The mirror, not the directory: an id that was never an agency in good standing (such as one not onboarded
        // yet) must not collect consents that a future agency with that id would inherit.
        uint32 agencyId = requester.agencyId();
        if (agencyId != 0 && !_mayRequest($, agencyId)) revert RequesterAgencyInactive(agencyId);
        grantId = ++$.lastGrantId;
        $.grants[_accessKey(subject, requester, datasetId, purpose)] = Grant({
            id: grantId,
            expiresAt: expiresAt,
            state: GrantState.Active,
            singleUse: singleUse,
            purposeSet: purposeSet
        });
        emit ConsentGranted(subject, requester, datasetId, grantId, purpose, expiresAt, singleUse);
    }

    function _revokeConsent(address subject, Requester requester, uint32 datasetId, bytes32 purpose) private {
        // Subject 0 is where approvals live; no signature or sender can be the zero address, but say so anyway.
        Grant storage consent = _storage().grants[_accessKey(subject, requester, datasetId, purpose)];
        if (subject == address(0) || consent.state != GrantState.Active) {
            revert ConsentNotActive(subject, requester, datasetId, purpose);
        }
        consent.state = GrantState.Revoked;
        emit ConsentRevoked(subject, requester, datasetId, consent.id, purpose);
    }

    /// @dev Deadline, then the nonce (used before the EIP-1271 call, so a wallet cannot replay it by reentering),
    /// then the signature over the EIP-712 digest, which binds chain id and registry address.
    function _useSignature(
        address subject,
        uint256 nonce,
        uint256 deadline,
        bytes32 structHash,
        bytes calldata signature
    ) private {
        // solhint-disable-next-line not-rely-on-time
        if (block.timestamp > deadline) revert ConsentSignatureExpired(deadline, block.timestamp);
        _useCheckedNonce(subject, nonce);
        if (!SignatureChecker.isValidSignatureNowCalldata(subject, _hashTypedDataV4(structHash), signature)) {
            revert ConsentSignatureInvalid(subject);
        }
    }

    /// @dev The requester's side (the enterprise account itself, or an operator of the requesting agency with
    /// REQUEST_DATA) or the owner's gateway (an operator of the owner's record keeper with PUBLISH_DATASETS).
    function _requireRecorder(
        DataSharingRegistryStorage storage $,
        Requester requester,
        uint32 datasetId
    ) private view {
        address account = requester.account();
        if (account != address(0) && account == msg.sender) return;
        IAgencyDirectory dir = $.directory;
        uint32 agencyId = requester.agencyId();
        if (agencyId != 0 && dir.canAct(msg.sender, agencyId, Capabilities.REQUEST_DATA)) return;
        uint32 ownerAgencyId = $.datasets[datasetId].ownerAgencyId;
        if (dir.canActForRecordsOf(msg.sender, ownerAgencyId, Capabilities.PUBLISH_DATASETS)) return;
        revert AccessRecorderRequired(requester, ownerAgencyId, msg.sender);
    }

    /// @dev The one evaluation behind {checkAccess} and {recordAccess}. Returns the storage key of the permission
    /// that allows (0 for an unconditionally shared dataset or a refusal). Cold reads: the dataset's slot, the
    /// standing word (one for both agencies when their ids share a word), the permission's slot; each slot is read
    /// once, as a word (see {_slot}).
    function _evaluate(
        DataSharingRegistryStorage storage $,
        address subject,
        Requester requester,
        uint32 datasetId,
        bytes32 purpose
    ) private view returns (AccessReason, uint64, bytes32) {
        uint256 record = _slot($.datasets[datasetId]);
        AccessReason reason = _precheck($, record, subject, requester);
        if (reason != AccessReason.Allowed) return (reason, 0, 0);

        AccessReason consentReason = AccessReason.NoPermission;
        if (subject != address(0)) {
            bytes32 key = _accessKey(subject, requester, datasetId, purpose);
            uint64 id;
            (consentReason, id) = _evaluateGrant($, record, key, datasetId, purpose);
            if (consentReason == AccessReason.Allowed) return (AccessReason.Allowed, id, key);
        }
        // Agency rules; an enterprise has none, so only consent opens data to it.
        if (requester.agencyId() == 0) return (consentReason, 0, 0);
        (AccessReason agencyReason, uint64 grantId, bytes32 grantKey) = _evaluateAgencyRules(
            $,
            record,
            requester,
            datasetId,
            purpose
        );
        if (agencyReason == AccessReason.Allowed) return (agencyReason, grantId, grantKey);
        // A consent that exists but no longer allows says more than "the agency rules do not allow either".
        return (consentReason != AccessReason.NoPermission ? consentReason : agencyReason, 0, 0);
    }

    /// @dev What does not depend on a permission: the dataset, the requester's form, subject vs. sensitivity, and
    /// both agencies' standing.
    function _precheck(
        DataSharingRegistryStorage storage $,
        uint256 record,
        address subject,
        Requester requester
    ) private view returns (AccessReason) {
        uint32 ownerAgencyId = uint32(record);
        if (ownerAgencyId == 0) return AccessReason.UnknownDataset;
        if (uint8(record >> DATASET_WITHDRAWN) != 0) return AccessReason.DatasetWithdrawn;
        if (!requester.isValid()) return AccessReason.InvalidRequester;
        if (subject != address(0) && !_isPersonal(Sensitivity(uint8(record >> DATASET_SENSITIVITY)))) {
            return AccessReason.SubjectNotApplicable;
        }
        (uint256 ownerWord, uint256 ownerShift) = _standingPosition(ownerAgencyId);
        uint256 standing = $.standing[ownerWord];
        if ((standing >> ownerShift) & MAY_SERVE == 0) return AccessReason.OwnerInactive;
        uint32 agencyId = requester.agencyId();
        if (agencyId != 0) {
            (uint256 word, uint256 shift) = _standingPosition(agencyId);
            if (word != ownerWord) standing = $.standing[word];
            if ((standing >> shift) & MAY_REQUEST == 0) return AccessReason.RequesterInactive;
        }
        return AccessReason.Allowed;
    }

    function _evaluateAgencyRules(
        DataSharingRegistryStorage storage $,
        uint256 record,
        Requester requester,
        uint32 datasetId,
        bytes32 purpose
    ) private view returns (AccessReason, uint64, bytes32) {
        SharingCategory sharing = SharingCategory(uint8(record >> DATASET_SHARING));
        if (sharing == SharingCategory.NotShared) return (AccessReason.NotShared, 0, 0);
        if (sharing == SharingCategory.Unconditional) {
            if (!_isListed($, datasetId, purpose, uint32(record >> DATASET_PURPOSE_SET))) {
                return (AccessReason.PurposeNotAllowed, 0, 0);
            }
            return (AccessReason.Allowed, 0, 0);
        }
        bytes32 key = _accessKey(address(0), requester, datasetId, purpose);
        (AccessReason reason, uint64 id) = _evaluateGrant($, record, key, datasetId, purpose);
        return (reason, id, reason == AccessReason.Allowed ? key : bytes32(0));
    }

    function _evaluateGrant(
        DataSharingRegistryStorage storage $,
        uint256 record,
        bytes32 key,
        uint32 datasetId,
        bytes32 purpose
    ) private view returns (AccessReason, uint64) {
        uint256 permission = _slot($.grants[key]);
        GrantState state = GrantState(uint8(permission >> GRANT_STATE));
        if (state == GrantState.None) return (AccessReason.NoPermission, 0);
        if (state == GrantState.Revoked) return (AccessReason.Revoked, 0);
        if (state == GrantState.Consumed) return (AccessReason.Consumed, 0);
        if (_now() >= uint40(permission >> GRANT_EXPIRES_AT)) return (AccessReason.Expired, 0);
        // Same purpose generation as when granted: the purpose is still listed without a second read.
        uint32 purposeSet = uint32(record >> DATASET_PURPOSE_SET);
        if (uint32(permission >> GRANT_PURPOSE_SET) != purposeSet && !_isListed($, datasetId, purpose, purposeSet)) {
            return (AccessReason.PurposeNotAllowed, 0);
        }
        return (AccessReason.Allowed, uint64(permission));
    }

    function _existingRequest(
        DataSharingRegistryStorage storage $,
        uint64 requestId
    ) private view returns (Request storage request) {
        request = $.requests[requestId];
        if (request.status == RequestStatus.None) revert AccessRequestUnknown(requestId);
    }

    function _pendingRequest(
        DataSharingRegistryStorage storage $,
        uint64 requestId
    ) private view returns (Request storage request) {
        request = _existingRequest($, requestId);
        if (request.status != RequestStatus.Pending) revert AccessRequestStatusInvalid(requestId, request.status);
    }

    function _requireFuture(uint40 expiresAt) private view {
        uint40 now_ = _now();
        if (expiresAt <= now_) revert GrantExpiryInvalid(expiresAt, now_);
    }

    /// @dev The whole slot of a {Dataset}, read once: the legacy optimiser would otherwise read it again for every
    /// field. Offsets are Solidity's packing (first field in the lowest bits), pinned by the DATASET_* constants.
    function _slot(Dataset storage record) private view returns (uint256 word) {
        // solhint-disable-next-line no-inline-assembly
        assembly {
            word := sload(record.slot)
        }
    }

    /// @dev The whole slot of a {Grant}, read once; offsets pinned by the GRANT_* constants.
    function _slot(Grant storage permission) private view returns (uint256 word) {
        // solhint-disable-next-line no-inline-assembly
        assembly {
            word := sload(permission.slot)
        }
    }

    /// @dev The storage key of a permission: keccak256 of the ABI-encoded access key.
    function _accessKey(
        address subject,
        Requester requester,
        uint32 datasetId,
        bytes32 purpose
    ) private pure returns (bytes32 key) {
        // Same bytes as keccak256(abi.encode(subject, requester, datasetId, purpose)), hashed in scratch memory
        // past the free pointer instead of allocating: this runs on every {checkAccess}.
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            let ptr := mload(0x40)
            mstore(ptr, subject)
            mstore(add(ptr, 0x20), requester)
            mstore(add(ptr, 0x40), datasetId)
            mstore(add(ptr, 0x60), purpose)
            key := keccak256(ptr, 0x80)
        }
    }
}

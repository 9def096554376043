// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {Requester} from "../libraries/Requester.sol";

/// @title IDataSharingRegistry
/// @notice The data-sharing catalogue of the city: which datasets agencies hold, who may access them for which
/// purpose until when, and a tamper-evident record of every access. The data itself never comes on chain; it stays
/// in each agency's systems, behind a data gateway that asks {checkAccess} before it releases anything and calls
/// {recordAccess} to log (and, for a single-use consent, consume) the access.
/// @dev No personal data on chain: a data subject is an account, a purpose is a `bytes32` code (the hash of a
/// purpose label from the platform's purpose list), a legal basis is a hash, and what was released is a hash.
///
/// An access is always named by the same four values, the access key: `(subject, requester, datasetId, purpose)`.
/// `subject` is the account the records are about (a citizen or an enterprise), or the zero address for data that
/// is about no one in particular (an agency asking for a whole non-personal dataset, or personal data it may use by
/// law without consent). `requester` is an agency or an enterprise account (see {Requester}).
///
/// The rules, by sharing category (government data catalogue practice):
/// - `Unconditional`: any agency in good standing (see {syncAgency}) may access it for a listed purpose, no request.
/// - `Conditional`: an agency needs an approved, unexpired access request for the purpose.
/// - `NotShared`: no agency rule opens it.
/// For personal data (`Personal`, `SensitivePersonal`) the data subject's consent opens it as well, whatever the
/// category, and it is the only way an enterprise gets personal data. So a `NotShared` personal dataset is shared
/// exactly when its subject says so. Sensitive personal data is never `Unconditional`. Non-personal data has no
/// subjects: consent to it is refused, and an access key naming a subject is refused with `SubjectNotApplicable`.
///
/// Agency standing is read from the agency directory, but {checkAccess} must stay a cheap view, and a call into the
/// directory alone costs more than its whole budget. So the registry keeps a mirror of each agency's standing (may it
/// request, may it serve) that anyone refreshes from the directory with {syncAgency}, and that {publishDataset} and
/// {requestAccess} refresh on their way. A suspension therefore reaches {checkAccess} with the first sync after it,
/// normally the next block (a watcher syncs on `AgencySuspended`); {recordAccess} asks the directory itself whether
/// the recording account acts for its agency, so a suspended agency cannot record in between.
interface IDataSharingRegistry {
    /// @notice How sensitive a dataset's content is. `Personal` and `SensitivePersonal` hold records about data
    /// subjects; the others do not.
    enum Sensitivity {
        Public,
        Internal,
        Personal,
        SensitivePersonal
    }

    /// @notice How a dataset is shared between agencies, as government data catalogues classify it.
    enum SharingCategory {
        Unconditional,
        Conditional,
        NotShared
    }

    /// @notice Lifecycle of a permission: a consent grant or an approved access request.
    enum GrantState {
        None,
        Active,
        Revoked,
        Consumed
    }

    /// @notice Lifecycle of an inter-agency access request. An approval's expiry is not a status: it follows from
    /// `expiresAt`.
    enum RequestStatus {
        None,
        Pending,
        Approved,
        Denied,
        Revoked
    }

    /// @notice Why {checkAccess} said what it said. `Allowed` is the only answer that lets data go.
    enum AccessReason {
        Allowed,
        UnknownDataset,
        DatasetWithdrawn,
        InvalidRequester,
        SubjectNotApplicable,
        OwnerInactive,
        RequesterInactive,
        NotShared,
        PurposeNotAllowed,
        NoPermission,
        Expired,
        Revoked,
        Consumed
    }

    /// @notice A catalogue entry as an agency publishes or updates it.
    struct DatasetEntry {
        string title;
        bytes32 schemaHash;
        Sensitivity sensitivity;
        SharingCategory sharing;
        bytes32[] purposes;
    }

    /// @notice A catalogue entry as {dataset} returns it.
    struct DatasetView {
        uint32 id;
        uint32 ownerAgencyId;
        uint32 version;
        Sensitivity sensitivity;
        SharingCategory sharing;
        bool withdrawn;
        uint40 updatedAt;
        bytes32 schemaHash;
        string title;
        bytes32[] purposes;
    }

    /// @notice A permission as {grantOf} returns it. `id` names it in receipts; it is a request id for an approved
    /// access request.
    struct GrantView {
        uint64 id;
        GrantState state;
        bool singleUse;
        uint40 expiresAt;
    }

    /// @notice An inter-agency access request as {accessRequest} returns it.
    struct AccessRequestView {
        uint32 requesterAgencyId;
        uint32 datasetId;
        RequestStatus status;
        uint40 filedAt;
        uint40 expiresAt;
        bytes32 purpose;
    }

    /// @notice A consent as the data subject signs it (EIP-712 `ConsentGrant`).
    struct ConsentGrant {
        address subject;
        Requester requester;
        uint32 datasetId;
        bytes32 purpose;
        uint40 expiresAt;
        bool singleUse;
        uint256 nonce;
        uint256 deadline;
    }

    /// @notice A revocation as the data subject signs it (EIP-712 `ConsentRevocation`).
    struct ConsentRevocation {
        address subject;
        Requester requester;
        uint32 datasetId;
        bytes32 purpose;
        uint256 nonce;
        uint256 deadline;
    }

    /// @notice An agency published a catalogue entry (version 1).
    event DatasetPublished(
        uint32 indexed datasetId,
        uint32 indexed ownerAgencyId,
        string title,
        bytes32 schemaHash,
        Sensitivity sensitivity,
        SharingCategory sharing,
        bytes32[] purposes
    );
    /// @notice A catalogue entry changed; `version` counts from 1 at publication.
    event DatasetUpdated(
        uint32 indexed datasetId,
        uint32 version,
        string title,
        bytes32 schemaHash,
        Sensitivity sensitivity,
        SharingCategory sharing,
        bytes32[] purposes
    );
    /// @notice A catalogue entry was withdrawn for good: nothing opens it any more.
    event DatasetWithdrawn(uint32 indexed datasetId, uint32 version);
    /// @notice A data subject consented (directly or by signature). It replaces any earlier consent for the key.
    event ConsentGranted(
        address indexed subject,
        Requester indexed requester,
        uint32 indexed datasetId,
        uint64 grantId,
        bytes32 purpose,
        uint40 expiresAt,
        bool singleUse
    );
    /// @notice A data subject revoked a consent, effective at once.
    event ConsentRevoked(
        address indexed subject,
        Requester indexed requester,
        uint32 indexed datasetId,
        uint64 grantId,
        bytes32 purpose
    );
    /// @notice An agency asked for access to another agency's dataset.
    event AccessRequested(
        uint64 indexed requestId,
        uint32 indexed requesterAgencyId,
        uint32 indexed datasetId,
        bytes32 purpose,
        bytes32 legalBasisHash,
        address requestedBy
    );
    /// @notice The owning agency approved a request until `expiresAt`. It replaces any earlier approval for the key.
    event AccessRequestApproved(uint64 indexed requestId, uint40 expiresAt, address approvedBy);
    /// @notice The owning agency denied a request.
    event AccessRequestDenied(uint64 indexed requestId, uint16 reasonCode, address deniedBy);
    /// @notice The owning agency withdrew an approval before its expiry, effective at once.
    event AccessApprovalRevoked(uint64 indexed requestId, uint16 reasonCode, address revokedBy);
    /// @notice Data was accessed. `grantId` is the consent or request that allowed it, 0 for an unconditionally
    /// shared dataset; `recordHash` commits to what was released. The block timestamp says when.
    event AccessRecorded(
        address indexed subject,
        uint32 indexed datasetId,
        uint64 indexed grantId,
        Requester requester,
        bytes32 purpose,
        bytes32 recordHash
    );
    /// @notice The registry's mirror of an agency's standing changed (see {syncAgency}).
    event AgencyStandingSynced(uint32 indexed agencyId, bool mayRequest, bool mayServe);

    /// @notice The directory address given to the initializer was zero.
    error DataSharingDirectoryZero();
    /// @notice Only governance (as the directory knows it) may upgrade the registry.
    error DataSharingGovernorRequired(address account);
    /// @notice No dataset has this id.
    error DatasetUnknown(uint32 datasetId);
    /// @notice The dataset was withdrawn.
    error DatasetWasWithdrawn(uint32 datasetId);
    /// @notice The account may not manage the agency's catalogue (needs PUBLISH_DATASETS for it or its successor).
    error DatasetPublisherRequired(uint32 agencyId, address account);
    /// @notice A title must be 1 to {MAX_TITLE_BYTES} bytes long.
    error DatasetTitleInvalid(uint256 length);
    /// @notice A dataset must list 1 to {MAX_PURPOSES} distinct, non-zero purposes.
    error DatasetPurposesInvalid(uint256 count);
    /// @notice A purpose is zero or listed twice.
    error DatasetPurposeInvalid(bytes32 purpose);
    /// @notice Sensitive personal data cannot be shared unconditionally.
    error DatasetSharingNotAllowed(Sensitivity sensitivity, SharingCategory sharing);
    /// @notice An update cannot turn personal data into non-personal data or back: subjects' consents depend on it.
    error DatasetSensitivityChangeNotAllowed(uint32 datasetId, Sensitivity from, Sensitivity to);
    /// @notice The dataset does not list the purpose.
    error DatasetPurposeNotAllowed(uint32 datasetId, bytes32 purpose);
    /// @notice Consent is only for datasets that hold personal data.
    error DatasetNotPersonal(uint32 datasetId, Sensitivity sensitivity);
    /// @notice Only `Conditional` datasets take access requests.
    error DatasetNotRequestable(uint32 datasetId, SharingCategory sharing);
    /// @notice A requester must name exactly one of an agency and an account.
    error RequesterInvalid(Requester requester);
    /// @notice The requesting agency is not in good standing with REQUEST_DATA (as last synced).
    error RequesterAgencyInactive(uint32 agencyId);
    /// @notice An expiry must lie in the future.
    error GrantExpiryInvalid(uint40 expiresAt, uint40 now_);
    /// @notice There is no active consent for this access key.
    error ConsentNotActive(address subject, Requester requester, uint32 datasetId, bytes32 purpose);
    /// @notice A signed consent or revocation was submitted after its deadline.
    error ConsentSignatureExpired(uint256 deadline, uint256 now_);
    /// @notice The signature is not the subject's (ECDSA or EIP-1271) over this message, chain and registry.
    error ConsentSignatureInvalid(address subject);
    /// @notice The account may not act for the requesting agency with REQUEST_DATA.
    error AccessRequesterRequired(uint32 agencyId, address account);
    /// @notice No access request has this id.
    error AccessRequestUnknown(uint64 requestId);
    /// @notice The request is not in the status this needs.
    error AccessRequestStatusInvalid(uint64 requestId, RequestStatus status);
    /// @notice {recordAccess} for an access that {checkAccess} refuses.
    error AccessDenied(address subject, Requester requester, uint32 datasetId, bytes32 purpose, AccessReason reason);
    /// @notice Only the requester (an operator of the requesting agency, or the enterprise account) or the owning
    /// agency's gateway may record an access.
    error AccessRecorderRequired(Requester requester, uint32 ownerAgencyId, address account);

    // -------------------------------------------------------------------------------------------------------------
    // Catalogue
    // -------------------------------------------------------------------------------------------------------------

    /// @notice Publishes a dataset in the catalogue. An operator of `ownerAgencyId` with PUBLISH_DATASETS.
    /// @dev Also refreshes the owner's standing mirror (see {syncAgency}).
    /// @param ownerAgencyId The agency that holds the data.
    /// @param entry Title (public), schema hash, sensitivity, sharing category and the purposes it may serve.
    /// @return datasetId The new dataset's id (from 1).
    function publishDataset(uint32 ownerAgencyId, DatasetEntry calldata entry) external returns (uint32 datasetId);

    /// @notice Replaces a catalogue entry and bumps its version. An operator of the owner (or, once the owner is
    /// dissolved, of its successor) with PUBLISH_DATASETS.
    /// @dev Consents and approvals survive an update as long as their purpose is still listed; dropping a purpose
    /// stops every permission for it at once. Sensitivity may change only within personal or within non-personal.
    /// @param datasetId The dataset.
    /// @param entry The new entry; `purposes` is the complete new list.
    /// @return version The new version.
    function updateDataset(uint32 datasetId, DatasetEntry calldata entry) external returns (uint32 version);

    /// @notice Withdraws a dataset for good: {checkAccess} refuses it from this block on. Same authority as
    /// {updateDataset}.
    /// @param datasetId The dataset.
    function withdrawDataset(uint32 datasetId) external;

    // -------------------------------------------------------------------------------------------------------------
    // Consent (personal data)
    // -------------------------------------------------------------------------------------------------------------

    /// @notice The caller, as data subject, lets `requester` access their records in a personal dataset for
    /// `purpose` until `expiresAt`, optionally once. Replaces any earlier consent for the same key.
    /// @param requester The agency or enterprise that may access; an agency must be in good standing.
    /// @param datasetId A personal dataset, not withdrawn.
    /// @param purpose A purpose the dataset lists.
    /// @param expiresAt When the consent ends (exclusive); in the future.
    /// @param singleUse Whether the first recorded access consumes it.
    /// @return grantId The consent's id, as receipts will name it.
    function grantConsent(
        Requester requester,
        uint32 datasetId,
        bytes32 purpose,
        uint40 expiresAt,
        bool singleUse
    ) external returns (uint64 grantId);

    /// @notice The caller, as data subject, revokes their active consent for the key, effective at once.
    /// @param requester The requester named in the consent.
    /// @param datasetId The dataset.
    /// @param purpose The purpose.
    function revokeConsent(Requester requester, uint32 datasetId, bytes32 purpose) external;

    /// @notice Records a consent the subject signed (EIP-712, ECDSA or EIP-1271), so that a citizen never needs gas.
    /// @dev Anyone may relay: the signature is the whole authority, and the nonce makes a relay happen at most once.
    /// The nonce must be the subject's next ({nonces}); it is shared with {revokeConsentBySig}.
    /// @param consent The signed message.
    /// @param signature The subject's signature over it.
    /// @return grantId The consent's id.
    function grantConsentBySig(
        ConsentGrant calldata consent,
        bytes calldata signature
    ) external returns (uint64 grantId);

    /// @notice Records a revocation the subject signed. Anyone may relay.
    /// @param revocation The signed message.
    /// @param signature The subject's signature over it.
    function revokeConsentBySig(ConsentRevocation calldata revocation, bytes calldata signature) external;

    // -------------------------------------------------------------------------------------------------------------
    // Inter-agency requests
    // -------------------------------------------------------------------------------------------------------------

    /// @notice Files a request for access to a `Conditional` dataset. An operator of `requesterAgencyId` with
    /// REQUEST_DATA; also refreshes its standing mirror.
    /// @param requesterAgencyId The requesting agency.
    /// @param datasetId The dataset.
    /// @param purpose A purpose the dataset lists.
    /// @param legalBasisHash Hash of the legal basis document (statute, agreement) the request relies on.
    /// @return requestId The request's id; once approved it is also the grant id receipts name.
    function requestAccess(
        uint32 requesterAgencyId,
        uint32 datasetId,
        bytes32 purpose,
        bytes32 legalBasisHash
    ) external returns (uint64 requestId);

    /// @notice Approves a pending request until `expiresAt`. An operator of the owning agency (or its successor)
    /// with PUBLISH_DATASETS. Replaces any earlier approval for the same requester, dataset and purpose.
    /// @param requestId The request.
    /// @param expiresAt When access ends (exclusive); in the future.
    function approveRequest(uint64 requestId, uint40 expiresAt) external;

    /// @notice Denies a pending request. Same authority as {approveRequest}.
    /// @param requestId The request.
    /// @param reasonCode The platform's code for why (published off chain).
    function denyRequest(uint64 requestId, uint16 reasonCode) external;

    /// @notice Withdraws an approval before it expires, effective at once. Same authority as {approveRequest}.
    /// @param requestId An approved request whose approval is still the current one for its key.
    /// @param reasonCode The platform's code for why.
    function revokeApproval(uint64 requestId, uint16 reasonCode) external;

    // -------------------------------------------------------------------------------------------------------------
    // Access
    // -------------------------------------------------------------------------------------------------------------

    /// @notice Records that data was accessed under the access key, and consumes a single-use consent. The
    /// requester (an operator of the requesting agency with REQUEST_DATA, or the enterprise account itself) or an
    /// operator of the owning agency's record keeper with PUBLISH_DATASETS (its gateway).
    /// @dev Refuses what {checkAccess} refuses, so a gateway that records before it releases can never release a
    /// single-use consent twice. Emits {AccessRecorded}, indexed by subject so each subject can list every access.
    /// @param subject The data subject, or the zero address for agency-level access.
    /// @param requester Who receives the data.
    /// @param datasetId The dataset.
    /// @param purpose The purpose.
    /// @param recordHash Commitment to what was released (for example the hash of record ids and field names).
    /// @return grantId The permission that allowed it (0 for an unconditionally shared dataset).
    function recordAccess(
        address subject,
        Requester requester,
        uint32 datasetId,
        bytes32 purpose,
        bytes32 recordHash
    ) external returns (uint64 grantId);

    /// @notice Refreshes the registry's mirror of an agency's standing from the directory. Anyone may call it: it
    /// only copies the directory's answer. `mayRequest`: the agency is active with REQUEST_DATA. `mayServe`: the
    /// agency that keeps its records (itself, or its successor once dissolved) is active with PUBLISH_DATASETS.
    /// @dev Agencies start with neither, so an agency takes part in data sharing after its first sync. A watcher
    /// syncs after every directory event that changes an agency's status or capabilities (for a successor, its
    /// predecessors too).
    /// @param agencyId The agency.
    /// @return mayRequest Whether it may now receive data.
    /// @return mayServe Whether its datasets may now be served.
    function syncAgency(uint32 agencyId) external returns (bool mayRequest, bool mayServe);

    /// @notice Whether `requester` may access `subject`'s records (or, for subject 0, the dataset as a whole) in
    /// `datasetId` for `purpose` now, and why. Honours withdrawal, the sharing category, purposes, expiry,
    /// revocation, single use and the standing of both agencies. The data gateway calls it before releasing data.
    /// @dev A consent is looked at first; for an agency requester the agency rules follow when no consent allows.
    /// The reason then is the first refusal met, with a consent's own refusal (expired, revoked, consumed)
    /// preferred over "no permission" from the agency rules.
    /// @param subject The data subject, or the zero address for agency-level access.
    /// @param requester Who would receive the data.
    /// @param datasetId The dataset.
    /// @param purpose The purpose.
    /// @return allowed True only when `reason` is `Allowed`.
    /// @return reason Why.
    /// @return grantId The consent or request that allows it (0 when refused or unconditionally shared).
    function checkAccess(
        address subject,
        Requester requester,
        uint32 datasetId,
        bytes32 purpose
    ) external view returns (bool allowed, AccessReason reason, uint64 grantId);

    // -------------------------------------------------------------------------------------------------------------
    // Views
    // -------------------------------------------------------------------------------------------------------------

    /// @notice One catalogue entry.
    /// @param datasetId The dataset.
    /// @return The entry, with its current purposes.
    function dataset(uint32 datasetId) external view returns (DatasetView memory);

    /// @notice Whether the dataset currently lists `purpose`.
    /// @param datasetId The dataset.
    /// @param purpose The purpose code.
    /// @return True when listed.
    function isPurposeListed(uint32 datasetId, bytes32 purpose) external view returns (bool);

    /// @notice The permission stored for an access key: a consent (subject set) or the latest approval (subject 0).
    /// @param subject The data subject, or the zero address for an approval.
    /// @param requester The requester.
    /// @param datasetId The dataset.
    /// @param purpose The purpose.
    /// @return The permission (all zero when none).
    function grantOf(
        address subject,
        Requester requester,
        uint32 datasetId,
        bytes32 purpose
    ) external view returns (GrantView memory);

    /// @notice One inter-agency access request.
    /// @param requestId The request.
    /// @return The request.
    function accessRequest(uint64 requestId) external view returns (AccessRequestView memory);

    /// @notice The registry's mirror of an agency's standing, as of its last {syncAgency}.
    /// @param agencyId The agency.
    /// @return mayRequest Whether it may receive data.
    /// @return mayServe Whether its datasets may be served.
    function agencyStanding(uint32 agencyId) external view returns (bool mayRequest, bool mayServe);

    /// @notice The agency directory the registry asks.
    /// @return The directory's address.
    function directory() external view returns (address);

    /// @notice The next nonce a subject's signed consent or revocation must carry.
    /// @param subject The data subject.
    /// @return The nonce.
    function nonces(address subject) external view returns (uint256);
}

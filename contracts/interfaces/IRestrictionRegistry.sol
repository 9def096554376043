// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {ITitleRegistryTypes} from "./ITitleRegistryTypes.sol";

/// @title IRestrictionRegistry
/// @notice What stops a title from being disposed of, other than mortgages: court seizures (freezes, with a queue of
/// waiting seizures), pre-registrations (a buyer's notice), and objections (a third party's claim).
/// @dev A frozen title cannot be transferred, mortgaged, subdivided or merged. An open pre-registration blocks every
/// transfer except the one to its beneficiaries (which converts it), and every mortgage, subdivision and merger,
/// until it lapses. An open objection blocks transfers, mortgages, subdivisions and mergers until it lapses
/// ({OBJECTION_PERIOD}), unless a court confirms it, after which it stays until removed.
/// Ids of seizures are per title, starting at 1. Every change is an event, so the restrictions of a parcel can be
/// replayed from the logs.
interface IRestrictionRegistry {
    /// @notice Lifecycle of a seizure. A seizure filed while another is in force waits `Queued` and comes into force
    /// (`Active`) the moment the one before it is lifted.
    enum SeizureStatus {
        None,
        Queued,
        Active,
        Lifted,
        Withdrawn
    }

    /// @notice Lifecycle of a pre-registration or objection. Lapse is not a status: it follows from `lapsesAt`.
    enum NoticeStatus {
        None,
        Open,
        Confirmed,
        Converted,
        Cancelled
    }

    /// @notice A court seizure. Layout: courtAgencyId 4 | status 1 | filedAt 5 | effectiveAt 5 | endedAt 5, then
    /// the case reference.
    struct Seizure {
        uint32 courtAgencyId;
        SeizureStatus status;
        uint40 filedAt;
        uint40 effectiveAt;
        uint40 endedAt;
        bytes32 caseReference;
    }

    /// @notice A pre-registration. `beneficiariesDigest` is {ITitleRegistry-ownersDigest} of the buyers.
    struct PreRegistration {
        uint32 agencyId;
        NoticeStatus status;
        uint40 registeredAt;
        uint40 lapsesAt;
        bytes32 beneficiariesDigest;
        bytes32 agreementHash;
    }

    /// @notice An objection. `lapsesAt` is 0 once a court confirmed it.
    struct Objection {
        uint32 agencyId;
        uint32 courtAgencyId;
        NoticeStatus status;
        uint40 registeredAt;
        uint40 lapsesAt;
        bytes32 claimHash;
        bytes32 objectorCommitment;
    }

    /// @notice A court filed a seizure; `status` is Active when it took effect at once, Queued when it waits.
    event SeizureFiled(
        uint256 indexed titleId,
        uint32 indexed seizureId,
        uint32 indexed courtAgencyId,
        SeizureStatus status,
        bytes32 caseReference
    );
    /// @notice A queued seizure came into force because the one before it was lifted.
    event SeizureTookEffect(uint256 indexed titleId, uint32 indexed seizureId, uint32 indexed courtAgencyId);
    /// @notice A court lifted a seizure in force.
    event SeizureLifted(uint256 indexed titleId, uint32 indexed seizureId, address indexed by, bytes32 rulingHash);
    /// @notice A court withdrew a queued seizure before it came into force.
    event SeizureWithdrawn(uint256 indexed titleId, uint32 indexed seizureId, address indexed by, bytes32 rulingHash);
    /// @notice The registrar registered a buyer's pre-registration.
    event PreRegistered(
        uint256 indexed titleId,
        uint32 indexed agencyId,
        ITitleRegistryTypes.Owner[] beneficiaries,
        bytes32 beneficiariesDigest,
        bytes32 agreementHash,
        uint40 lapsesAt
    );
    /// @notice The transfer to the beneficiaries was registered; the pre-registration became that transfer.
    event PreRegistrationConverted(uint256 indexed titleId);
    /// @notice The registrar cancelled a pre-registration.
    event PreRegistrationCancelled(uint256 indexed titleId, address indexed by, bytes32 reasonHash);
    /// @notice The registrar registered a third party's objection.
    event ObjectionRegistered(
        uint256 indexed titleId,
        uint32 indexed agencyId,
        bytes32 claimHash,
        bytes32 objectorCommitment,
        uint40 lapsesAt
    );
    /// @notice A court took up the objection: it no longer lapses.
    event ObjectionConfirmed(uint256 indexed titleId, uint32 indexed courtAgencyId, bytes32 caseReference);
    /// @notice The registrar or the court removed an objection.
    event ObjectionRemoved(uint256 indexed titleId, address indexed by, bytes32 reasonHash);

    /// @notice Only the title registry may do this.
    error RestrictionTitleRegistryRequired(address account);
    /// @notice The account may not act as registrar of the title's agency.
    error RestrictionRegistrarRequired(uint256 titleId, address account);
    /// @notice The account may not act for the court agency with FREEZE_TITLES.
    error RestrictionCourtRequired(uint32 courtAgencyId, address account);
    /// @notice Only governance may do this.
    error RestrictionGovernorRequired(address account);
    /// @notice The title is not active.
    error RestrictionTitleNotActive(uint256 titleId, ITitleRegistryTypes.TitleStatus status);
    /// @notice The title is frozen by a seizure in force.
    error TitleFrozen(uint256 titleId, uint32 seizureId, uint32 courtAgencyId);
    /// @notice The title carries an open pre-registration for other beneficiaries.
    error TitlePreRegistered(uint256 titleId, bytes32 beneficiariesDigest, uint40 lapsesAt);
    /// @notice The title carries an open objection (`lapsesAt` 0: confirmed by a court).
    error TitleObjected(uint256 titleId, uint40 lapsesAt);
    /// @notice No seizure with this id on the title.
    error SeizureUnknown(uint256 titleId, uint32 seizureId);
    /// @notice The seizure is neither in force nor queued.
    error SeizureEnded(uint256 titleId, uint32 seizureId, SeizureStatus status);
    /// @notice The title has no open pre-registration.
    error PreRegistrationNotOpen(uint256 titleId);
    /// @notice A pre-registration must lapse in the future, at most {MAX_PRE_REGISTRATION_PERIOD} ahead.
    error PreRegistrationLapseInvalid(uint40 lapsesAt);
    /// @notice Pre-registrations need at least one beneficiary.
    error PreRegistrationBeneficiariesEmpty();
    /// @notice The title has no open objection.
    error ObjectionNotOpen(uint256 titleId);
    /// @notice The title already has an open objection; it must lapse or be resolved first.
    error ObjectionAlreadyOpen(uint256 titleId, uint40 lapsesAt);
    /// @notice A hash that identifies a document must not be zero.
    error RestrictionHashZero();

    /// @notice A court freezes a title. If a seizure is already in force, this one queues behind it.
    /// @param titleId The title.
    /// @param courtAgencyId The court (FREEZE_TITLES).
    /// @param caseReference Hash of the case reference and ruling.
    /// @return seizureId The seizure's id on the title.
    function freeze(uint256 titleId, uint32 courtAgencyId, bytes32 caseReference) external returns (uint32 seizureId);

    /// @notice The court that filed a seizure lifts it (in force) or withdraws it (queued). Lifting brings the next
    /// queued seizure into force at once.
    /// @param titleId The title.
    /// @param seizureId The seizure.
    /// @param rulingHash Hash of the ruling that ends it.
    function unfreeze(uint256 titleId, uint32 seizureId, bytes32 rulingHash) external;

    /// @notice The registrar registers a buyer's pre-registration on the title.
    /// @param titleId The title.
    /// @param beneficiaries The buyers the title is promised to, with their shares.
    /// @param agreementHash Hash of the pre-sale agreement.
    /// @param lapsesAt When it lapses unless converted.
    function preRegister(
        uint256 titleId,
        ITitleRegistryTypes.Owner[] calldata beneficiaries,
        bytes32 agreementHash,
        uint40 lapsesAt
    ) external;

    /// @notice The registrar cancels the open pre-registration (the beneficiaries gave it up, or a court ruled).
    /// @param titleId The title.
    /// @param reasonHash Hash of the document.
    function cancelPreRegistration(uint256 titleId, bytes32 reasonHash) external;

    /// @notice The registrar registers a third party's objection; it lapses after {OBJECTION_PERIOD}.
    /// @param titleId The title.
    /// @param claimHash Hash of the claim.
    /// @param objectorCommitment Salted commitment to the objector's identity.
    function registerObjection(uint256 titleId, bytes32 claimHash, bytes32 objectorCommitment) external;

    /// @notice A court confirms it took up the objection's claim: the objection stops lapsing.
    /// @param titleId The title.
    /// @param courtAgencyId The court (FREEZE_TITLES).
    /// @param caseReference Hash of the case reference.
    function confirmObjection(uint256 titleId, uint32 courtAgencyId, bytes32 caseReference) external;

    /// @notice The registrar, or the confirming court, removes the open objection.
    /// @param titleId The title.
    /// @param reasonHash Hash of the withdrawal or ruling.
    function removeObjection(uint256 titleId, bytes32 reasonHash) external;

    /// @notice Asked by the title registry before it registers a transfer to `newOwnersDigest`: reverts when a
    /// seizure, objection or another buyer's pre-registration blocks it; converts a matching pre-registration.
    /// @param titleId The title.
    /// @param newOwnersDigest {ITitleRegistry-ownersDigest} of the new owners.
    function beforeTransfer(uint256 titleId, bytes32 newOwnersDigest) external;

    /// @notice Reverts when a seizure, pre-registration or objection blocks a mortgage, subdivision or merger.
    /// @param titleId The title.
    function checkDisposal(uint256 titleId) external view;

    /// @notice Whether anything restricts the title now.
    /// @param titleId The title.
    /// @return True when frozen, pre-registered or objected.
    function isRestricted(uint256 titleId) external view returns (bool);

    /// @notice The seizure in force (0 when none).
    /// @param titleId The title.
    /// @return The seizure id.
    function activeSeizure(uint256 titleId) external view returns (uint32);

    /// @notice How many seizures were ever filed against the title; ids run from 1 to this.
    /// @param titleId The title.
    /// @return The count.
    function seizureCount(uint256 titleId) external view returns (uint32);

    /// @notice One seizure.
    /// @param titleId The title.
    /// @param seizureId The seizure.
    /// @return The seizure.
    function seizure(uint256 titleId, uint32 seizureId) external view returns (Seizure memory);

    /// @notice The latest pre-registration of the title.
    /// @param titleId The title.
    /// @return The pre-registration (`status` None when there never was one).
    function preRegistration(uint256 titleId) external view returns (PreRegistration memory);

    /// @notice The latest objection of the title.
    /// @param titleId The title.
    /// @return The objection (`status` None when there never was one).
    function objection(uint256 titleId) external view returns (Objection memory);
}

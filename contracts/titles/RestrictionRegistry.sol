// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {Initializable} from "@openzeppelin/contracts-upgradeable/proxy/utils/Initializable.sol";
import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";

import {Capabilities} from "../common/Capabilities.sol";
import {IAgencyDirectory} from "../interfaces/IAgencyDirectory.sol";
import {IRestrictionRegistry} from "../interfaces/IRestrictionRegistry.sol";
import {ITitleRegistry} from "../interfaces/ITitleRegistry.sol";
import {ITitleRegistryTypes} from "../interfaces/ITitleRegistryTypes.sol";
import {TitleOwners} from "../libraries/TitleOwners.sol";

/// @title RestrictionRegistry
/// @notice Court seizures with their queue, pre-registrations and objections on titles. See {IRestrictionRegistry}.
/// @dev Whenever it adds a restriction it tells the title registry to set the title's "may be restricted" hint, and
/// whenever none is left it clears it; lapses clear themselves when the title registry next asks. A title carries
/// at most one open pre-registration (it blocks every other transfer, a second one included) and one open
/// objection (a second claimant waits until the first objection lapses or is resolved, or goes to court).
/// UUPS; only governance (directory) upgrades. No initializer: there is nothing to set beyond the immutables.
contract RestrictionRegistry is IRestrictionRegistry, Initializable, UUPSUpgradeable {
    /// @dev Per-title counters. One slot: seizureCount 4 | activeSeizure 4.
    struct TitleRestrictions {
        uint32 seizureCount;
        uint32 activeSeizure;
    }

    /// @custom:storage-location erc7201:govchain.storage.RestrictionRegistry
    struct RestrictionRegistryStorage {
        mapping(uint256 titleId => TitleRestrictions) titles;
        mapping(uint256 titleId => mapping(uint32 seizureId => Seizure)) seizures;
        mapping(uint256 titleId => PreRegistration) preRegistrations;
        mapping(uint256 titleId => Objection) objections;
    }

    // keccak256(abi.encode(uint256(keccak256("govchain.storage.RestrictionRegistry")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant STORAGE_LOCATION = 0x06d5ffe8098b0ddeb9b0a427cc228669207f400ddda63930991f56d15f145300;

    /// @notice Implementation version (semver).
    string public constant VERSION = "1.0.0";
    /// @notice How long an objection stays open unless a court confirms it (Civil Code art. 220: 15 days).
    uint40 public constant OBJECTION_PERIOD = 15 days;
    /// @notice Longest a pre-registration may run before it lapses.
    uint40 public constant MAX_PRE_REGISTRATION_PERIOD = 3 * 365 days;

    /// @custom:oz-upgrades-unsafe-allow state-variable-immutable
    IAgencyDirectory private immutable DIRECTORY;
    /// @custom:oz-upgrades-unsafe-allow state-variable-immutable
    ITitleRegistry private immutable TITLES;

    modifier onlyTitleRegistry() {
        if (msg.sender != address(TITLES)) revert RestrictionTitleRegistryRequired(msg.sender);
        _;
    }

    /// @param directory_ The agency directory (proxy).
    /// @param titles_ The title registry (proxy).
    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor(IAgencyDirectory directory_, ITitleRegistry titles_) {
        DIRECTORY = directory_;
        TITLES = titles_;
        _disableInitializers();
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Seizures
    // ---------------------------------------------------------------------------------------------------------------

    /// @inheritdoc IRestrictionRegistry
    function freeze(uint256 titleId, uint32 courtAgencyId, bytes32 caseReference) external returns (uint32 seizureId) {
        if (!DIRECTORY.canAct(msg.sender, courtAgencyId, Capabilities.FREEZE_TITLES)) {
            revert RestrictionCourtRequired(courtAgencyId, msg.sender);
        }
        if (caseReference == 0) revert RestrictionHashZero();
        _activeTitleAgency(titleId);
        RestrictionRegistryStorage storage $ = _storage();
        TitleRestrictions storage counters = $.titles[titleId];
        seizureId = ++counters.seizureCount;
        bool takesEffect = counters.activeSeizure == 0;
        SeizureStatus status = takesEffect ? SeizureStatus.Active : SeizureStatus.Queued;
        if (takesEffect) counters.activeSeizure = seizureId;
        $.seizures[titleId][seizureId] = Seizure({
            courtAgencyId: courtAgencyId,
            status: status,
            filedAt: uint40(block.timestamp),
            effectiveAt: takesEffect ? uint40(block.timestamp) : 0,
            endedAt: 0,
            caseReference: caseReference
        });
        emit SeizureFiled(titleId, seizureId, courtAgencyId, status, caseReference);
        TITLES.setRestricted(titleId, true);
    }

    /// @inheritdoc IRestrictionRegistry
    function unfreeze(uint256 titleId, uint32 seizureId, bytes32 rulingHash) external {
        RestrictionRegistryStorage storage $ = _storage();
        TitleRestrictions storage counters = $.titles[titleId];
        if (seizureId == 0 || seizureId > counters.seizureCount) revert SeizureUnknown(titleId, seizureId);
        Seizure storage entry = $.seizures[titleId][seizureId];
        if (!DIRECTORY.canActForRecordsOf(msg.sender, entry.courtAgencyId, Capabilities.FREEZE_TITLES)) {
            revert RestrictionCourtRequired(entry.courtAgencyId, msg.sender);
        }
        SeizureStatus status = entry.status;
        entry.endedAt = uint40(block.timestamp);
        if (status == SeizureStatus.Queued) {
            entry.status = SeizureStatus.Withdrawn;
            emit SeizureWithdrawn(titleId, seizureId, msg.sender, rulingHash);
            return;
        }
        if (status != SeizureStatus.Active) revert SeizureEnded(titleId, seizureId, status);
        entry.status = SeizureStatus.Lifted;
        emit SeizureLifted(titleId, seizureId, msg.sender, rulingHash);
        // The next waiting seizure, in filing order, comes into force in the same instant.
        uint32 next = 0;
        for (uint32 id = seizureId + 1; id <= counters.seizureCount; ++id) {
            Seizure storage waiting = $.seizures[titleId][id];
            if (waiting.status == SeizureStatus.Queued) {
                waiting.status = SeizureStatus.Active;
                waiting.effectiveAt = uint40(block.timestamp);
                next = id;
                emit SeizureTookEffect(titleId, id, waiting.courtAgencyId);
                break;
            }
        }
        counters.activeSeizure = next;
        _syncHint($, titleId);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Pre-registrations
    // ---------------------------------------------------------------------------------------------------------------

    /// @inheritdoc IRestrictionRegistry
    function preRegister(
        uint256 titleId,
        ITitleRegistryTypes.Owner[] calldata beneficiaries,
        bytes32 agreementHash,
        uint40 lapsesAt
    ) external {
        uint32 agencyId = _requireRegistrar(titleId);
        if (beneficiaries.length == 0) revert PreRegistrationBeneficiariesEmpty();
        if (agreementHash == 0) revert RestrictionHashZero();
        if (lapsesAt <= block.timestamp || lapsesAt > block.timestamp + MAX_PRE_REGISTRATION_PERIOD) {
            revert PreRegistrationLapseInvalid(lapsesAt);
        }
        RestrictionRegistryStorage storage $ = _storage();
        _requireUnrestricted($, titleId);
        bytes32 digest = TitleOwners.digest(beneficiaries);
        $.preRegistrations[titleId] = PreRegistration({
            agencyId: agencyId,
            status: NoticeStatus.Open,
            registeredAt: uint40(block.timestamp),
            lapsesAt: lapsesAt,
            beneficiariesDigest: digest,
            agreementHash: agreementHash
        });
        emit PreRegistered(titleId, agencyId, beneficiaries, digest, agreementHash, lapsesAt);
        TITLES.setRestricted(titleId, true);
    }

    /// @inheritdoc IRestrictionRegistry
    function cancelPreRegistration(uint256 titleId, bytes32 reasonHash) external {
        _requireRegistrar(titleId);
        RestrictionRegistryStorage storage $ = _storage();
        PreRegistration storage entry = $.preRegistrations[titleId];
        if (!_preRegistrationOpen(entry)) revert PreRegistrationNotOpen(titleId);
        entry.status = NoticeStatus.Cancelled;
        emit PreRegistrationCancelled(titleId, msg.sender, reasonHash);
        _syncHint($, titleId);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Objections
    // ---------------------------------------------------------------------------------------------------------------

    /// @inheritdoc IRestrictionRegistry
    function registerObjection(uint256 titleId, bytes32 claimHash, bytes32 objectorCommitment) external {
        uint32 agencyId = _requireRegistrar(titleId);
        if (claimHash == 0) revert RestrictionHashZero();
        RestrictionRegistryStorage storage $ = _storage();
        Objection storage entry = $.objections[titleId];
        if (_objectionOpen(entry)) revert ObjectionAlreadyOpen(titleId, entry.lapsesAt);
        uint40 lapsesAt = uint40(block.timestamp) + OBJECTION_PERIOD;
        $.objections[titleId] = Objection({
            agencyId: agencyId,
            courtAgencyId: 0,
            status: NoticeStatus.Open,
            registeredAt: uint40(block.timestamp),
            lapsesAt: lapsesAt,
            claimHash: claimHash,
            objectorCommitment: objectorCommitment
        });
        emit ObjectionRegistered(titleId, agencyId, claimHash, objectorCommitment, lapsesAt);
        TITLES.setRestricted(titleId, true);
    }

    /// @inheritdoc IRestrictionRegistry
    function confirmObjection(uint256 titleId, uint32 courtAgencyId, bytes32 caseReference) external {
        if (!DIRECTORY.canAct(msg.sender, courtAgencyId, Capabilities.FREEZE_TITLES)) {
            revert RestrictionCourtRequired(courtAgencyId, msg.sender);
        }
        if (caseReference == 0) revert RestrictionHashZero();
        Objection storage entry = _storage().objections[titleId];
        if (!_objectionOpen(entry) || entry.status == NoticeStatus.Confirmed) revert ObjectionNotOpen(titleId);
        entry.status = NoticeStatus.Confirmed;
        entry.courtAgencyId = courtAgencyId;
        entry.lapsesAt = 0;
        emit ObjectionConfirmed(titleId, courtAgencyId, caseReference);
    }

    /// @inheritdoc IRestrictionRegistry
    function removeObjection(uint256 titleId, bytes32 reasonHash) external {
        RestrictionRegistryStorage storage $ = _storage();
        Objection storage entry = $.objections[titleId];
        uint32 courtAgencyId = entry.courtAgencyId;
        bool byCourt =
            courtAgencyId != 0 && DIRECTORY.canActForRecordsOf(msg.sender, courtAgencyId, Capabilities.FREEZE_TITLES);
        if (!byCourt) _requireRegistrar(titleId);
        if (!_objectionOpen(entry)) revert ObjectionNotOpen(titleId);
        entry.status = NoticeStatus.Cancelled;
        emit ObjectionRemoved(titleId, msg.sender, reasonHash);
        _syncHint($, titleId);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Hooks for the title registry
    // ---------------------------------------------------------------------------------------------------------------

    /// @inheritdoc IRestrictionRegistry
    function beforeTransfer(uint256 titleId, bytes32 newOwnersDigest) external onlyTitleRegistry {
        RestrictionRegistryStorage storage $ = _storage();
        _requireNotFrozenOrObjected($, titleId);
        PreRegistration storage entry = $.preRegistrations[titleId];
        if (!_preRegistrationOpen(entry)) return;
        if (entry.beneficiariesDigest != newOwnersDigest) {
            revert TitlePreRegistered(titleId, entry.beneficiariesDigest, entry.lapsesAt);
        }
        entry.status = NoticeStatus.Converted;
        emit PreRegistrationConverted(titleId);
    }

    /// @inheritdoc IRestrictionRegistry
    function checkDisposal(uint256 titleId) external view {
        _requireUnrestricted(_storage(), titleId);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Views
    // ---------------------------------------------------------------------------------------------------------------

    /// @inheritdoc IRestrictionRegistry
    function isRestricted(uint256 titleId) external view returns (bool) {
        return _isRestricted(_storage(), titleId);
    }

    /// @inheritdoc IRestrictionRegistry
    function activeSeizure(uint256 titleId) external view returns (uint32) {
        return _storage().titles[titleId].activeSeizure;
    }

    /// @inheritdoc IRestrictionRegistry
    function seizureCount(uint256 titleId) external view returns (uint32) {
        return _storage().titles[titleId].seizureCount;
    }

    /// @inheritdoc IRestrictionRegistry
    function seizure(uint256 titleId, uint32 seizureId) external view returns (Seizure memory) {
        return _storage().seizures[titleId][seizureId];
    }

    /// @inheritdoc IRestrictionRegistry
    function preRegistration(uint256 titleId) external view returns (PreRegistration memory) {
        return _storage().preRegistrations[titleId];
    }

    /// @inheritdoc IRestrictionRegistry
    function objection(uint256 titleId) external view returns (Objection memory) {
        return _storage().objections[titleId];
    }

    /// @notice The title registry this registry restricts.
    /// @return The title registry.
    function titleRegistry() external view returns (ITitleRegistry) {
        return TITLES;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Internal
    // ---------------------------------------------------------------------------------------------------------------

    /// @dev Only governance upgrades the registry.
    // solhint-disable-next-line no-empty-blocks
    function _authorizeUpgrade(address) internal view override {
        if (!DIRECTORY.isGovernor(msg.sender)) revert RestrictionGovernorRequired(msg.sender);
    }

    /// @dev Clears the title registry's hint once nothing restricts the title.
    function _syncHint(RestrictionRegistryStorage storage $, uint256 titleId) private {
        if (!_isRestricted($, titleId)) TITLES.setRestricted(titleId, false);
    }

    function _requireRegistrar(uint256 titleId) private view returns (uint32 agencyId) {
        agencyId = _activeTitleAgency(titleId);
        if (!DIRECTORY.canActForRecordsOf(msg.sender, agencyId, Capabilities.REGISTER_TITLES)) {
            revert RestrictionRegistrarRequired(titleId, msg.sender);
        }
    }

    function _activeTitleAgency(uint256 titleId) private view returns (uint32 agencyId) {
        ITitleRegistryTypes.TitleStatus status;
        (agencyId, status) = TITLES.titleAgency(titleId);
        if (status != ITitleRegistryTypes.TitleStatus.Active) revert RestrictionTitleNotActive(titleId, status);
    }

    function _requireUnrestricted(RestrictionRegistryStorage storage $, uint256 titleId) private view {
        _requireNotFrozenOrObjected($, titleId);
        PreRegistration storage entry = $.preRegistrations[titleId];
        if (_preRegistrationOpen(entry)) {
            revert TitlePreRegistered(titleId, entry.beneficiariesDigest, entry.lapsesAt);
        }
    }

    function _requireNotFrozenOrObjected(RestrictionRegistryStorage storage $, uint256 titleId) private view {
        uint32 active = $.titles[titleId].activeSeizure;
        if (active != 0) revert TitleFrozen(titleId, active, $.seizures[titleId][active].courtAgencyId);
        Objection storage entry = $.objections[titleId];
        if (_objectionOpen(entry)) revert TitleObjected(titleId, entry.lapsesAt);
    }

    function _isRestricted(RestrictionRegistryStorage storage $, uint256 titleId) private view returns (bool) {
        return
            $.titles[titleId].activeSeizure != 0 ||
            _objectionOpen($.objections[titleId]) ||
            _preRegistrationOpen($.preRegistrations[titleId]);
    }

    function _preRegistrationOpen(PreRegistration storage entry) private view returns (bool) {
        return entry.status == NoticeStatus.Open && block.timestamp < entry.lapsesAt;
    }

    function _objectionOpen(Objection storage entry) private view returns (bool) {
        NoticeStatus status = entry.status;
        return status == NoticeStatus.Confirmed || (status == NoticeStatus.Open && block.timestamp < entry.lapsesAt);
    }

    function _storage() private pure returns (RestrictionRegistryStorage storage $) {
        // solhint-disable-next-line no-inline-assembly
        assembly {
            $.slot := STORAGE_LOCATION
        }
    }
}

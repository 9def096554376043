// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {AccessControlUpgradeable} from "@openzeppelin/contracts-upgradeable/access/AccessControlUpgradeable.sol";
import {Initializable} from "@openzeppelin/contracts-upgradeable/proxy/utils/Initializable.sol";
import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";
import {Checkpoints} from "@openzeppelin/contracts/utils/structs/Checkpoints.sol";
import {Time} from "@openzeppelin/contracts/utils/types/Time.sol";

import {IAgencyDirectory} from "../interfaces/IAgencyDirectory.sol";
import {Capabilities} from "../common/Capabilities.sol";

/// @title AgencyDirectory
/// @notice The registry of government agencies and of who may act for them. See {IAgencyDirectory}.
/// @dev UUPS proxy; governance (DEFAULT_ADMIN_ROLE) upgrades. The current state of an agency fits in one slot so the
/// hot question "may X act for A with C?" costs one read for the key and one per level of the hierarchy. Every
/// change is also checkpointed by timestamp so the same question can be answered for any past time.
contract AgencyDirectory is IAgencyDirectory, Initializable, AccessControlUpgradeable, UUPSUpgradeable {
    using Checkpoints for Checkpoints.Trace208;

    /// @dev Current state of an agency. Slot layout (32 bytes): admin 20 | parentId 4 | capabilities 4 |
    /// status 1 | depth 1 | liveChildren 2.
    struct AgencyRecord {
        address admin;
        uint32 parentId;
        uint32 capabilities;
        AgencyStatus status;
        uint8 depth;
        uint16 liveChildren;
    }

    /// @dev Cold data about an agency: read by front-ends, never on a hot path.
    struct AgencyProfile {
        uint32 successorId;
        uint48 onboardedAt;
        string name;
        string jurisdiction;
    }

    /// @dev Current state of one operator key of one agency. Slot layout: active 1 | compromisedSince 6 | keyId 4.
    struct OperatorRecord {
        bool active;
        uint48 compromisedSince;
        uint32 keyId;
    }

    /// @dev Who stands behind a key id (one slot: account 20 | agencyId 4).
    struct OperatorKey {
        address account;
        uint32 agencyId;
    }

    /// @custom:storage-location erc7201:govchain.storage.AgencyDirectory
    struct AgencyDirectoryStorage {
        uint32 agencyCount;
        uint32 keyCount;
        mapping(uint32 keyId => OperatorKey) keys;
        mapping(uint32 agencyId => AgencyRecord) agencies;
        mapping(uint32 agencyId => AgencyProfile) profiles;
        mapping(uint32 agencyId => mapping(address account => OperatorRecord)) operators;
        // 1 while the key acts for the agency, 0 otherwise, keyed by the timestamp of each change.
        mapping(uint32 agencyId => mapping(address account => Checkpoints.Trace208)) operatorHistory;
        // (status << STATUS_SHIFT) | capabilities, keyed by the timestamp of each change.
        mapping(uint32 agencyId => Checkpoints.Trace208) agencyHistory;
    }

    // keccak256(abi.encode(uint256(keccak256("govchain.storage.AgencyDirectory")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant STORAGE_LOCATION = 0x7df33df01eba1cdf8387d00f2425e9e0b8959f9c403a92cb9404c99a3bfa4800;

    /// @notice Levels of the hierarchy: city, district, street office, and one more for branches.
    uint8 public constant MAX_DEPTH = 4;
    /// @notice Longest display name, in bytes of UTF-8.
    uint256 public constant MAX_NAME_BYTES = 128;
    /// @notice Longest jurisdiction path, in bytes.
    uint256 public constant MAX_JURISDICTION_BYTES = 64;
    /// @notice Implementation version (semver).
    string public constant VERSION = "1.0.0";

    bytes1 private constant JURISDICTION_SEPARATOR = "/";
    uint8 private constant STATUS_SHIFT = 32;
    uint208 private constant OPERATOR_ACTIVE = 1;
    uint208 private constant OPERATOR_INACTIVE = 0;

    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() {
        _disableInitializers();
    }

    /// @notice Sets up the directory behind its proxy.
    /// @param governance The platform's governance account (later a timelock or multisig).
    function initialize(address governance) external initializer {
        if (governance == address(0)) revert ZeroAddress();
        __AccessControl_init();
        _grantRole(DEFAULT_ADMIN_ROLE, governance);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Agencies
    // ---------------------------------------------------------------------------------------------------------------

    /// @inheritdoc IAgencyDirectory
    function onboardAgency(
        string calldata name,
        string calldata jurisdiction,
        address admin,
        uint32 capabilities
    ) external onlyRole(DEFAULT_ADMIN_ROLE) returns (uint32 agencyId) {
        _requireValidJurisdiction(jurisdiction);
        return _createAgency(0, 1, name, jurisdiction, admin, capabilities);
    }

    /// @inheritdoc IAgencyDirectory
    function accreditAgency(
        uint32 parentId,
        string calldata name,
        string calldata jurisdiction,
        address admin,
        uint32 capabilities
    ) external returns (uint32 agencyId) {
        AgencyDirectoryStorage storage $ = _storage();
        AgencyRecord storage parent = _existing($, parentId);
        if (msg.sender != parent.admin && !hasRole(DEFAULT_ADMIN_ROLE, msg.sender)) {
            revert AgencyAdminRequired(parentId, msg.sender);
        }
        if (parent.status != AgencyStatus.Active) revert AgencyNotActive(parentId, parent.status);
        if (parent.capabilities & Capabilities.ACCREDIT_AGENCIES == 0) revert AccreditationNotAllowed(parentId);
        if (parent.depth >= MAX_DEPTH) revert HierarchyTooDeep(parentId, MAX_DEPTH);
        if (capabilities & ~parent.capabilities != 0)
            revert CapabilitiesExceedParent(capabilities, parent.capabilities);
        _requireValidJurisdiction(jurisdiction);
        string memory parentJurisdiction = $.profiles[parentId].jurisdiction;
        if (!_isWithin(jurisdiction, parentJurisdiction)) {
            revert JurisdictionOutsideParent(jurisdiction, parentJurisdiction);
        }
        parent.liveChildren += 1;
        return _createAgency(parentId, parent.depth + 1, name, jurisdiction, admin, capabilities);
    }

    /// @inheritdoc IAgencyDirectory
    function setCapabilities(uint32 agencyId, uint32 capabilities) external {
        AgencyDirectoryStorage storage $ = _storage();
        AgencyRecord storage record = _requireParentAuthority($, agencyId);
        if (record.status == AgencyStatus.Dissolved) revert AgencyNotActive(agencyId, record.status);
        if (capabilities & ~Capabilities.ALL != 0) revert UnknownCapabilities(capabilities);
        if (record.parentId != 0) {
            uint32 parentCapabilities = $.agencies[record.parentId].capabilities;
            if (capabilities & ~parentCapabilities != 0)
                revert CapabilitiesExceedParent(capabilities, parentCapabilities);
        }
        uint32 previous = record.capabilities;
        record.capabilities = capabilities;
        _checkpointAgency($, agencyId, record, previous & ~capabilities != 0);
        emit CapabilitiesChanged(agencyId, previous, capabilities);
    }

    /// @inheritdoc IAgencyDirectory
    function setAgencyAdmin(uint32 agencyId, address newAdmin) external {
        AgencyRecord storage record = _requireAgencyAdmin(_storage(), agencyId);
        if (newAdmin == address(0)) revert ZeroAddress();
        address previous = record.admin;
        record.admin = newAdmin;
        emit AgencyAdminChanged(agencyId, previous, newAdmin);
    }

    /// @inheritdoc IAgencyDirectory
    function suspendAgency(uint32 agencyId) external {
        AgencyDirectoryStorage storage $ = _storage();
        AgencyRecord storage record = _requireParentAuthority($, agencyId);
        if (record.status != AgencyStatus.Active) revert AgencyNotActive(agencyId, record.status);
        record.status = AgencyStatus.Suspended;
        _checkpointAgency($, agencyId, record, true);
        emit AgencySuspended(agencyId);
    }

    /// @inheritdoc IAgencyDirectory
    function reinstateAgency(uint32 agencyId) external {
        AgencyDirectoryStorage storage $ = _storage();
        AgencyRecord storage record = _requireParentAuthority($, agencyId);
        if (record.status != AgencyStatus.Suspended) revert AgencyNotSuspended(agencyId, record.status);
        record.status = AgencyStatus.Active;
        _checkpointAgency($, agencyId, record, false);
        emit AgencyReinstated(agencyId);
    }

    /// @inheritdoc IAgencyDirectory
    function dissolveAgency(uint32 agencyId, uint32 successorId) external {
        AgencyDirectoryStorage storage $ = _storage();
        AgencyRecord storage record = _requireParentAuthority($, agencyId);
        if (record.status == AgencyStatus.Dissolved) revert AgencyNotActive(agencyId, record.status);
        if (record.liveChildren != 0) revert AgencyHasLiveChildren(agencyId, record.liveChildren);
        if (successorId == agencyId || $.agencies[successorId].status != AgencyStatus.Active) {
            revert InvalidSuccessor(agencyId, successorId);
        }
        record.status = AgencyStatus.Dissolved;
        $.profiles[agencyId].successorId = successorId;
        if (record.parentId != 0) $.agencies[record.parentId].liveChildren -= 1;
        _checkpointAgency($, agencyId, record, true);
        emit AgencyDissolved(agencyId, successorId);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Operators
    // ---------------------------------------------------------------------------------------------------------------

    /// @inheritdoc IAgencyDirectory
    function addOperator(uint32 agencyId, address account) external {
        AgencyDirectoryStorage storage $ = _storage();
        AgencyRecord storage record = _requireAgencyAdmin($, agencyId);
        if (record.status == AgencyStatus.Dissolved) revert AgencyNotActive(agencyId, record.status);
        if (account == address(0)) revert ZeroAddress();
        OperatorRecord storage operator = $.operators[agencyId][account];
        if (operator.active) revert OperatorAlreadyActive(agencyId, account);
        // A key once reported compromised is burnt: it must never act again.
        if (operator.compromisedSince != 0) revert OperatorKeyWasCompromised(agencyId, account);
        operator.active = true;
        uint32 keyId = operator.keyId;
        if (keyId == 0) {
            keyId = ++$.keyCount;
            operator.keyId = keyId;
            $.keys[keyId] = OperatorKey({account: account, agencyId: agencyId});
        }
        _checkpoint($.operatorHistory[agencyId][account], OPERATOR_ACTIVE, false);
        emit OperatorAdded(agencyId, account, keyId);
    }

    /// @inheritdoc IAgencyDirectory
    function removeOperator(uint32 agencyId, address account) external {
        AgencyDirectoryStorage storage $ = _storage();
        _requireAgencyAdmin($, agencyId);
        OperatorRecord storage operator = $.operators[agencyId][account];
        if (!operator.active) revert OperatorNotActive(agencyId, account);
        _deactivate($, agencyId, account, operator);
    }

    /// @inheritdoc IAgencyDirectory
    function reportKeyCompromised(uint32 agencyId, address account, uint48 since) external {
        AgencyDirectoryStorage storage $ = _storage();
        _requireAgencyAdmin($, agencyId);
        uint48 now_ = Time.timestamp();
        if (since > now_) revert CompromiseInFuture(since, now_);
        if ($.operatorHistory[agencyId][account].length() == 0) revert OperatorUnknown(agencyId, account);
        OperatorRecord storage operator = $.operators[agencyId][account];
        // Zero would read as "never compromised"; the epoch start is the earliest meaningful report.
        uint48 effectiveSince = since == 0 ? 1 : since;
        if (operator.compromisedSince == 0 || effectiveSince < operator.compromisedSince) {
            operator.compromisedSince = effectiveSince;
        }
        if (operator.active) _deactivate($, agencyId, account, operator);
        emit OperatorKeyCompromised(agencyId, account, operator.compromisedSince);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Views
    // ---------------------------------------------------------------------------------------------------------------

    /// @inheritdoc IAgencyDirectory
    function canAct(address account, uint32 agencyId, uint32 capability) external view returns (bool) {
        return _canAct(_storage(), account, agencyId, capability);
    }

    /// @inheritdoc IAgencyDirectory
    function couldActAt(
        address account,
        uint32 agencyId,
        uint32 capability,
        uint48 timepoint
    ) external view returns (bool) {
        return _couldActAt(_storage(), account, agencyId, capability, timepoint);
    }

    /// @inheritdoc IAgencyDirectory
    function authorizedKey(address account, uint32 agencyId, uint32 capability) external view returns (uint32 keyId) {
        AgencyDirectoryStorage storage $ = _storage();
        OperatorRecord storage operator = $.operators[agencyId][account];
        if (!operator.active) return 0;
        (bool active, uint32 mask) = _effectiveCapabilities($, agencyId);
        return active && mask & capability == capability ? operator.keyId : 0;
    }

    /// @inheritdoc IAgencyDirectory
    function couldKeyActAt(uint32 keyId, uint32 capability, uint48 timepoint) external view returns (bool) {
        AgencyDirectoryStorage storage $ = _storage();
        OperatorKey storage key = $.keys[keyId];
        if (key.account == address(0)) revert UnknownKey(keyId);
        return _couldActAt($, key.account, key.agencyId, capability, timepoint);
    }

    /// @inheritdoc IAgencyDirectory
    function operatorKey(uint32 keyId) external view returns (address account, uint32 agencyId) {
        OperatorKey storage key = _storage().keys[keyId];
        if (key.account == address(0)) revert UnknownKey(keyId);
        return (key.account, key.agencyId);
    }

    function _couldActAt(
        AgencyDirectoryStorage storage $,
        address account,
        uint32 agencyId,
        uint32 capability,
        uint48 timepoint
    ) private view returns (bool) {
        uint48 now_ = Time.timestamp();
        if (timepoint > now_) revert TimepointInFuture(timepoint, now_);
        if ($.operatorHistory[agencyId][account].upperLookup(timepoint) != OPERATOR_ACTIVE) return false;
        uint48 compromisedSince = $.operators[agencyId][account].compromisedSince;
        if (compromisedSince != 0 && timepoint >= compromisedSince) return false;
        uint32 id = agencyId;
        while (id != 0) {
            uint208 state = $.agencyHistory[id].upperLookup(timepoint);
            if (AgencyStatus(uint8(state >> STATUS_SHIFT)) != AgencyStatus.Active) return false;
            if (uint32(state) & capability != capability) return false;
            id = $.agencies[id].parentId;
        }
        return true;
    }

    /// @inheritdoc IAgencyDirectory
    function canActForRecordsOf(address account, uint32 agencyId, uint32 capability) external view returns (bool) {
        AgencyDirectoryStorage storage $ = _storage();
        return _canAct($, account, _recordKeeper($, agencyId), capability);
    }

    /// @inheritdoc IAgencyDirectory
    function recordKeeper(uint32 agencyId) external view returns (uint32) {
        return _recordKeeper(_storage(), agencyId);
    }

    /// @inheritdoc IAgencyDirectory
    function isGovernor(address account) external view returns (bool) {
        return hasRole(DEFAULT_ADMIN_ROLE, account);
    }

    /// @inheritdoc IAgencyDirectory
    function agency(uint32 agencyId) external view returns (AgencyView memory) {
        AgencyDirectoryStorage storage $ = _storage();
        AgencyRecord storage record = _existing($, agencyId);
        AgencyProfile storage profile = $.profiles[agencyId];
        return
            AgencyView({
                id: agencyId,
                parentId: record.parentId,
                successorId: profile.successorId,
                status: record.status,
                depth: record.depth,
                liveChildren: record.liveChildren,
                capabilities: record.capabilities,
                effectiveCapabilities: _effectiveMask($, agencyId),
                admin: record.admin,
                onboardedAt: profile.onboardedAt,
                name: profile.name,
                jurisdiction: profile.jurisdiction
            });
    }

    /// @inheritdoc IAgencyDirectory
    function operatorStatus(
        uint32 agencyId,
        address account
    ) external view returns (bool active, uint48 compromisedSince, uint32 keyId) {
        OperatorRecord storage operator = _storage().operators[agencyId][account];
        return (operator.active, operator.compromisedSince, operator.keyId);
    }

    /// @inheritdoc IAgencyDirectory
    function effectiveCapabilities(uint32 agencyId) external view returns (uint32) {
        return _effectiveMask(_storage(), agencyId);
    }

    /// @inheritdoc IAgencyDirectory
    function agencyCount() external view returns (uint32) {
        return _storage().agencyCount;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Internal
    // ---------------------------------------------------------------------------------------------------------------

    /// @dev Only governance upgrades the directory.
    // solhint-disable-next-line no-empty-blocks
    function _authorizeUpgrade(address) internal override onlyRole(DEFAULT_ADMIN_ROLE) {}

    function _createAgency(
        uint32 parentId,
        uint8 depth,
        string calldata name,
        string calldata jurisdiction,
        address admin,
        uint32 capabilities
    ) private returns (uint32 agencyId) {
        if (bytes(name).length == 0 || bytes(name).length > MAX_NAME_BYTES)
            revert InvalidAgencyName(bytes(name).length);
        if (admin == address(0)) revert ZeroAddress();
        if (capabilities & ~Capabilities.ALL != 0) revert UnknownCapabilities(capabilities);
        AgencyDirectoryStorage storage $ = _storage();
        agencyId = ++$.agencyCount;
        AgencyRecord storage record = $.agencies[agencyId];
        record.admin = admin;
        record.parentId = parentId;
        record.capabilities = capabilities;
        record.status = AgencyStatus.Active;
        record.depth = depth;
        AgencyProfile storage profile = $.profiles[agencyId];
        profile.onboardedAt = Time.timestamp();
        profile.name = name;
        profile.jurisdiction = jurisdiction;
        _checkpointAgency($, agencyId, record, false);
        emit AgencyOnboarded(agencyId, parentId, admin, name, jurisdiction, capabilities);
    }

    function _deactivate(
        AgencyDirectoryStorage storage $,
        uint32 agencyId,
        address account,
        OperatorRecord storage operator
    ) private {
        operator.active = false;
        _checkpoint($.operatorHistory[agencyId][account], OPERATOR_INACTIVE, true);
        emit OperatorRemoved(agencyId, account);
    }

    function _checkpointAgency(
        AgencyDirectoryStorage storage $,
        uint32 agencyId,
        AgencyRecord storage record,
        bool restricts
    ) private {
        uint208 state = (uint208(uint8(record.status)) << STATUS_SHIFT) | record.capabilities;
        _checkpoint($.agencyHistory[agencyId], state, restricts);
    }

    /// @dev History has one-second resolution, and several transactions share a block's second. A change that takes
    /// a power away is recorded from the next second: whatever an account did earlier in this block was allowed when
    /// it did it, and whatever it tried after the change was refused on the spot, so "could it act at second T?"
    /// stays true for every action that really happened at T. A change that grants is recorded from this second.
    /// (A change that both grants and withdraws counts as a withdrawal: its grants show in history a second late.)
    function _checkpoint(Checkpoints.Trace208 storage trace, uint208 value, bool restricts) private {
        uint48 key = restricts ? Time.timestamp() + 1 : Time.timestamp();
        (bool exists, uint48 latestKey, ) = trace.latestCheckpoint();
        if (exists && latestKey > key) key = latestKey;
        trace.push(key, value);
    }

    function _canAct(
        AgencyDirectoryStorage storage $,
        address account,
        uint32 agencyId,
        uint32 capability
    ) private view returns (bool) {
        if (!$.operators[agencyId][account].active) return false;
        (bool active, uint32 mask) = _effectiveCapabilities($, agencyId);
        return active && mask & capability == capability;
    }

    /// @dev Own capabilities limited by every ancestor's; `active` is false (and the mask 0) when the agency or any
    /// ancestor is not active. At most MAX_DEPTH reads.
    function _effectiveCapabilities(
        AgencyDirectoryStorage storage $,
        uint32 agencyId
    ) private view returns (bool active, uint32 mask) {
        if (agencyId == 0) return (false, 0);
        mask = Capabilities.ALL;
        uint32 id = agencyId;
        while (id != 0) {
            AgencyRecord storage record = $.agencies[id];
            if (record.status != AgencyStatus.Active) return (false, 0);
            mask &= record.capabilities;
            id = record.parentId;
        }
        return (true, mask);
    }

    function _effectiveMask(AgencyDirectoryStorage storage $, uint32 agencyId) private view returns (uint32 mask) {
        (, mask) = _effectiveCapabilities($, agencyId);
    }

    /// @dev Follows successors until an agency that was not dissolved. Terminates: a successor is active when chosen.
    function _recordKeeper(AgencyDirectoryStorage storage $, uint32 agencyId) private view returns (uint32 id) {
        id = agencyId;
        while ($.agencies[id].status == AgencyStatus.Dissolved) {
            id = $.profiles[id].successorId;
        }
    }

    function _existing(AgencyDirectoryStorage storage $, uint32 agencyId) private view returns (AgencyRecord storage) {
        AgencyRecord storage record = $.agencies[agencyId];
        if (record.status == AgencyStatus.None) revert UnknownAgency(agencyId);
        return record;
    }

    function _requireAgencyAdmin(
        AgencyDirectoryStorage storage $,
        uint32 agencyId
    ) private view returns (AgencyRecord storage record) {
        record = _existing($, agencyId);
        if (msg.sender != record.admin && !hasRole(DEFAULT_ADMIN_ROLE, msg.sender)) {
            revert AgencyAdminRequired(agencyId, msg.sender);
        }
    }

    /// @dev Governance may act on any agency; the admin of an active parent on its children.
    function _requireParentAuthority(
        AgencyDirectoryStorage storage $,
        uint32 agencyId
    ) private view returns (AgencyRecord storage record) {
        record = _existing($, agencyId);
        if (hasRole(DEFAULT_ADMIN_ROLE, msg.sender)) return record;
        uint32 parentId = record.parentId;
        if (parentId != 0) {
            AgencyRecord storage parent = $.agencies[parentId];
            if (parent.admin == msg.sender && parent.status == AgencyStatus.Active) return record;
        }
        revert ParentAuthorityRequired(agencyId, msg.sender);
    }

    /// @dev Non-empty segments separated by single '/', no leading or trailing '/'.
    function _requireValidJurisdiction(string calldata jurisdiction) private pure {
        bytes calldata path = bytes(jurisdiction);
        uint256 length = path.length;
        if (length == 0 || length > MAX_JURISDICTION_BYTES) revert InvalidJurisdiction(jurisdiction);
        if (path[0] == JURISDICTION_SEPARATOR || path[length - 1] == JURISDICTION_SEPARATOR) {
            revert InvalidJurisdiction(jurisdiction);
        }
        for (uint256 i = 1; i < length; ++i) {
            if (path[i] == JURISDICTION_SEPARATOR && path[i - 1] == JURISDICTION_SEPARATOR) {
                revert InvalidJurisdiction(jurisdiction);
            }
        }
    }

    /// @dev `child` equals `parent` or extends it by whole segments ("CN/31" contains "CN/31/04", not "CN/310").
    function _isWithin(string calldata child, string memory parent) private pure returns (bool) {
        bytes calldata c = bytes(child);
        bytes memory p = bytes(parent);
        if (c.length < p.length) return false;
        for (uint256 i = 0; i < p.length; ++i) {
            if (c[i] != p[i]) return false;
        }
        return c.length == p.length || c[p.length] == JURISDICTION_SEPARATOR;
    }

    function _storage() private pure returns (AgencyDirectoryStorage storage $) {
        // solhint-disable-next-line no-inline-assembly
        assembly {
            $.slot := STORAGE_LOCATION
        }
    }
}

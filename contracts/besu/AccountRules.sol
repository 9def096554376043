// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {IAccountRules} from "../interfaces/IAccountRules.sol";
import {IAgencyDirectory} from "../interfaces/IAgencyDirectory.sol";

/// @title AccountRules
/// @notice Answers Besu's `transactionAllowed` hook from the agency directory. See {IAccountRules}. OPTIONAL: only for
/// Besu 25.5 and earlier with on-chain account permissioning, or for a permissioning plugin that calls this hook.
/// @dev Deliberately not upgradeable. It holds no authority of its own, only an index (account => agency) and a short
/// list of platform accounts; every answer is recomputed from the directory, which is the upgradeable authority. If
/// the rules must change, deploy a new AccountRules, register the accounts again and point the nodes (or the ingress
/// contract, or the plugin's configuration) at it: cheaper and clearer than a proxy for a thin adapter, and it keeps
/// the code the nodes execute on every transaction fixed and auditable.
contract AccountRules is IAccountRules {
    /// @notice The agency directory every answer comes from.
    IAgencyDirectory public immutable DIRECTORY;
    /// @notice Implementation version (semver).
    string public constant VERSION = "1.0.0";

    /// @dev Capability 0 asks "an active operator key of an agency that is active with all its ancestors".
    uint32 private constant ANY_CAPABILITY = 0;

    mapping(address account => uint32 agencyId) private _registeredAgency;
    mapping(address account => bool allowed) private _platformAccounts;

    modifier onlyGovernance() {
        if (!DIRECTORY.isGovernor(msg.sender)) revert AccountRulesGovernanceRequired(msg.sender);
        _;
    }

    /// @param directory The agency directory (its proxy address).
    constructor(IAgencyDirectory directory) {
        if (address(directory) == address(0)) revert AccountRulesZeroAddress();
        DIRECTORY = directory;
    }

    /// @inheritdoc IAccountRules
    function registerAccount(address account, uint32 agencyId) external {
        if (account == address(0)) revert AccountRulesZeroAddress();
        _requireAuthority(agencyId);
        if (!_entitles(account, agencyId)) revert AccountNotEntitled(account, agencyId);
        uint32 current = _registeredAgency[account];
        if (current != 0 && current != agencyId && _entitles(account, current)) {
            revert AccountAlreadyRegistered(account, current);
        }
        _registeredAgency[account] = agencyId;
        emit AccountRegistered(account, agencyId, msg.sender);
    }

    /// @inheritdoc IAccountRules
    function unregisterAccount(address account) external {
        uint32 agencyId = _registeredAgency[account];
        if (agencyId == 0) revert AccountNotRegistered(account);
        _requireAuthority(agencyId);
        delete _registeredAgency[account];
        emit AccountUnregistered(account, agencyId, msg.sender);
    }

    /// @inheritdoc IAccountRules
    function setPlatformAccount(address account, bool allowed) external onlyGovernance {
        if (account == address(0)) revert AccountRulesZeroAddress();
        _platformAccounts[account] = allowed;
        emit PlatformAccountSet(account, allowed);
    }

    /// @inheritdoc IAccountRules
    function transactionAllowed(
        address sender,
        address,
        uint256,
        uint256,
        uint256,
        bytes calldata
    ) external view returns (bool) {
        return _isAllowed(sender);
    }

    /// @inheritdoc IAccountRules
    function isAccountAllowed(address account) external view returns (bool) {
        return _isAllowed(account);
    }

    /// @inheritdoc IAccountRules
    function registeredAgency(address account) external view returns (uint32) {
        return _registeredAgency[account];
    }

    /// @inheritdoc IAccountRules
    function isPlatformAccount(address account) external view returns (bool) {
        return _platformAccounts[account];
    }

    /// @dev Cheapest checks first: one local read, then the directory's hot path, then the rarer cases.
    function _isAllowed(address account) private view returns (bool) {
        if (_platformAccounts[account]) return true;
        uint32 agencyId = _registeredAgency[account];
        if (agencyId != 0 && _entitles(account, agencyId)) return true;
        return DIRECTORY.isGovernor(account);
    }

    /// @dev An active operator key (the directory's `canAct` with capability 0 checks the key and that the agency and
    /// every ancestor are active), or the admin of an agency that is active with all its ancestors.
    function _entitles(address account, uint32 agencyId) private view returns (bool) {
        if (DIRECTORY.canAct(account, agencyId, ANY_CAPABILITY)) return true;
        IAgencyDirectory.AgencyView memory record = DIRECTORY.agency(agencyId);
        if (record.admin != account) return false;
        // Walk up the hierarchy: at most MAX_DEPTH (4) levels, each of which must be active.
        while (record.status == IAgencyDirectory.AgencyStatus.Active) {
            if (record.parentId == 0) return true;
            record = DIRECTORY.agency(record.parentId);
        }
        return false;
    }

    /// @dev Governance, or the current admin of `agencyId` (the directory reverts `UnknownAgency` for an unknown id).
    function _requireAuthority(uint32 agencyId) private view {
        if (DIRECTORY.isGovernor(msg.sender)) return;
        if (DIRECTORY.agency(agencyId).admin != msg.sender) revert AccountRulesUnauthorized(msg.sender, agencyId);
    }
}

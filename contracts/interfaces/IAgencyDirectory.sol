// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

/// @title IAgencyDirectory
/// @notice The directory of government agencies: who they are, how they are organised, what the platform allows
/// each to do, and which accounts act for them — now and at any past time. Every other GovChain registry asks it
/// "may account X act for agency A with capability C?".
/// @dev Agency ids start at 1; 0 means "none" (no parent, no successor). Times are block timestamps (`uint48`).
interface IAgencyDirectory {
    /// @notice Lifecycle of an agency. `Dissolved` is final: its records pass to a successor.
    enum AgencyStatus {
        None,
        Active,
        Suspended,
        Dissolved
    }

    /// @notice Everything the directory knows about one agency, as returned by {agency}.
    struct AgencyView {
        uint32 id;
        uint32 parentId;
        uint32 successorId;
        AgencyStatus status;
        uint8 depth;
        uint16 liveChildren;
        uint32 capabilities;
        uint32 effectiveCapabilities;
        address admin;
        uint48 onboardedAt;
        string name;
        string jurisdiction;
    }

    /// @notice An agency joined the directory, at the top level (`parentId` 0) or below a parent.
    event AgencyOnboarded(
        uint32 indexed agencyId,
        uint32 indexed parentId,
        address indexed admin,
        string name,
        string jurisdiction,
        uint32 capabilities
    );
    /// @notice The capabilities granted to an agency changed.
    event CapabilitiesChanged(uint32 indexed agencyId, uint32 previousCapabilities, uint32 newCapabilities);
    /// @notice The account that manages an agency's operators changed.
    event AgencyAdminChanged(uint32 indexed agencyId, address indexed previousAdmin, address indexed newAdmin);
    /// @notice An account may now act for an agency. `keyId` names the (agency, account) pair for good: registries
    /// store it instead of the 20-byte address so that a record stays in one storage slot.
    event OperatorAdded(uint32 indexed agencyId, address indexed account, uint32 keyId);
    /// @notice An account no longer acts for an agency, from this block on.
    event OperatorRemoved(uint32 indexed agencyId, address indexed account);
    /// @notice An operator key was reported compromised: what it signed from `since` on is not trusted.
    event OperatorKeyCompromised(uint32 indexed agencyId, address indexed account, uint48 since);
    /// @notice All of an agency's accounts (and those of its children) stopped acting for it.
    event AgencySuspended(uint32 indexed agencyId);
    /// @notice A suspended agency's accounts act for it again.
    event AgencyReinstated(uint32 indexed agencyId);
    /// @notice An agency was dissolved; `successorId` now manages the records it issued.
    event AgencyDissolved(uint32 indexed agencyId, uint32 indexed successorId);

    /// @notice No operator key has this id.
    error UnknownKey(uint32 keyId);
    /// @notice No agency has this id.
    error UnknownAgency(uint32 agencyId);
    /// @notice The agency must be active for this, and is not.
    error AgencyNotActive(uint32 agencyId, AgencyStatus status);
    /// @notice The agency must be suspended for this, and is not.
    error AgencyNotSuspended(uint32 agencyId, AgencyStatus status);
    /// @notice Only the agency's admin (or governance) may do this.
    error AgencyAdminRequired(uint32 agencyId, address account);
    /// @notice Only the parent agency's admin (or governance, for top-level agencies) may do this.
    error ParentAuthorityRequired(uint32 agencyId, address account);
    /// @notice A name must be 1 to {MAX_NAME_BYTES} bytes long.
    error InvalidAgencyName(uint256 length);
    /// @notice A jurisdiction is a '/'-separated path of non-empty segments, at most {MAX_JURISDICTION_BYTES} long.
    error InvalidJurisdiction(string jurisdiction);
    /// @notice A child's jurisdiction must be its parent's or lie inside it.
    error JurisdictionOutsideParent(string jurisdiction, string parentJurisdiction);
    /// @notice A mask names capabilities that do not exist.
    error UnknownCapabilities(uint32 capabilities);
    /// @notice A child cannot hold capabilities its parent does not hold.
    error CapabilitiesExceedParent(uint32 requested, uint32 parentCapabilities);
    /// @notice The parent does not hold the capability to accredit children.
    error AccreditationNotAllowed(uint32 parentId);
    /// @notice The hierarchy may not grow deeper than {MAX_DEPTH} levels.
    error HierarchyTooDeep(uint32 parentId, uint8 maxDepth);
    /// @notice The zero address cannot be an admin or an operator.
    error ZeroAddress();
    /// @notice The account already acts for the agency.
    error OperatorAlreadyActive(uint32 agencyId, address account);
    /// @notice The account does not act for the agency.
    error OperatorNotActive(uint32 agencyId, address account);
    /// @notice The account never acted for the agency, so it cannot be reported compromised for it.
    error OperatorUnknown(uint32 agencyId, address account);
    /// @notice A key once reported compromised can never act again, for any agency that knew it.
    error OperatorKeyWasCompromised(uint32 agencyId, address account);
    /// @notice A point-in-time question about a time that has not happened yet.
    error TimepointInFuture(uint48 timepoint, uint48 now_);
    /// @notice A compromise cannot be reported as starting in the future.
    error CompromiseInFuture(uint48 since, uint48 now_);
    /// @notice A successor must be another active agency.
    error InvalidSuccessor(uint32 agencyId, uint32 successorId);
    /// @notice An agency with children that are not dissolved cannot be dissolved.
    error AgencyHasLiveChildren(uint32 agencyId, uint16 liveChildren);

    /// @notice Onboards a top-level agency. Governance only.
    /// @param name Display name, 1 to 128 bytes of UTF-8.
    /// @param jurisdiction Jurisdiction path such as `CN/310000`.
    /// @param admin Account that manages the agency's operators.
    /// @param capabilities Mask of {Capabilities} granted by the platform.
    /// @return agencyId The new agency's id.
    function onboardAgency(
        string calldata name,
        string calldata jurisdiction,
        address admin,
        uint32 capabilities
    ) external returns (uint32 agencyId);

    /// @notice Accredits a child agency below `parentId`, with a subset of the parent's capabilities and a
    /// jurisdiction inside the parent's. The parent's admin (the parent needs ACCREDIT_AGENCIES) or governance.
    /// @param parentId The accrediting agency.
    /// @param name Display name, 1 to 128 bytes of UTF-8.
    /// @param jurisdiction The parent's jurisdiction or a path below it.
    /// @param admin Account that manages the child's operators.
    /// @param capabilities Mask of capabilities, each also held by the parent.
    /// @return agencyId The new agency's id.
    function accreditAgency(
        uint32 parentId,
        string calldata name,
        string calldata jurisdiction,
        address admin,
        uint32 capabilities
    ) external returns (uint32 agencyId);

    /// @notice Replaces the capabilities granted to an agency. Governance for top-level agencies; the parent's
    /// admin or governance for children, never beyond the parent's own. Withdrawing a capability from a parent
    /// withdraws it from everything below at once.
    /// @param agencyId The agency.
    /// @param capabilities The new mask.
    function setCapabilities(uint32 agencyId, uint32 capabilities) external;

    /// @notice Hands the management of an agency's operators to another account. The current admin or governance.
    /// @param agencyId The agency.
    /// @param newAdmin The new admin account.
    function setAgencyAdmin(uint32 agencyId, address newAdmin) external;

    /// @notice Lets an account act for an agency from this block on. The agency's admin or governance.
    /// @param agencyId The agency.
    /// @param account The operator key.
    function addOperator(uint32 agencyId, address account) external;

    /// @notice Stops an account acting for an agency from this block on; what it did before stays valid.
    /// The agency's admin or governance.
    /// @param agencyId The agency.
    /// @param account The operator key.
    function removeOperator(uint32 agencyId, address account) external;

    /// @notice Reports that an operator key was compromised from `since`: it stops acting now, and anything it
    /// did from `since` on no longer verifies. The agency's admin or governance.
    /// @param agencyId The agency.
    /// @param account The compromised key.
    /// @param since The earliest time the key may have been misused (not in the future).
    function reportKeyCompromised(uint32 agencyId, address account, uint48 since) external;

    /// @notice Stops every account of an agency, and of the agencies below it, at once. The parent's admin or
    /// governance.
    /// @param agencyId The agency.
    function suspendAgency(uint32 agencyId) external;

    /// @notice Restores a suspended agency. The parent's admin or governance.
    /// @param agencyId The agency.
    function reinstateAgency(uint32 agencyId) external;

    /// @notice Dissolves an agency into a successor, which manages its records from now on. Records it issued
    /// stay verifiable. The parent's admin or governance.
    /// @param agencyId The agency to dissolve; it must have no live children.
    /// @param successorId An active agency that takes over its records.
    function dissolveAgency(uint32 agencyId, uint32 successorId) external;

    /// @notice Whether `account` may act for `agencyId` with `capability` now: an active operator key of an
    /// agency that, with all its ancestors, is active and holds the capability.
    /// @param account The acting account.
    /// @param agencyId The agency it claims to act for.
    /// @param capability One or more capability bits, all required.
    /// @return True when allowed.
    function canAct(address account, uint32 agencyId, uint32 capability) external view returns (bool);

    /// @notice Whether `account` was allowed to act for `agencyId` with `capability` at `timepoint`, and its key
    /// has not since been reported compromised from a time at or before `timepoint`.
    /// @param account The acting account.
    /// @param agencyId The agency.
    /// @param capability One or more capability bits, all required.
    /// @param timepoint A block timestamp, not in the future.
    /// @return True when it was allowed then.
    function couldActAt(
        address account,
        uint32 agencyId,
        uint32 capability,
        uint48 timepoint
    ) external view returns (bool);

    /// @notice The hot-path form of {canAct} for registries that record who acted: the key id of `account` for
    /// `agencyId` when it may act with `capability` now, and 0 when it may not.
    /// @param account The acting account.
    /// @param agencyId The agency it claims to act for.
    /// @param capability One or more capability bits, all required.
    /// @return keyId The operator key id, or 0 when not allowed.
    function authorizedKey(address account, uint32 agencyId, uint32 capability) external view returns (uint32 keyId);

    /// @notice {couldActAt} for a key id recorded by a registry.
    /// @param keyId The operator key id.
    /// @param capability One or more capability bits, all required.
    /// @param timepoint A block timestamp, not in the future.
    /// @return True when the key could act then.
    function couldKeyActAt(uint32 keyId, uint32 capability, uint48 timepoint) external view returns (bool);

    /// @notice The account and agency behind an operator key id.
    /// @param keyId The operator key id.
    /// @return account The operator account.
    /// @return agencyId The agency it acts (or acted) for.
    function operatorKey(uint32 keyId) external view returns (address account, uint32 agencyId);

    /// @notice Whether `account` may now manage records that `agencyId` issued: acts for the agency itself, or,
    /// when it was dissolved, for its current successor.
    /// @param account The acting account.
    /// @param agencyId The agency that issued the records.
    /// @param capability One or more capability bits, all required.
    /// @return True when allowed.
    function canActForRecordsOf(address account, uint32 agencyId, uint32 capability) external view returns (bool);

    /// @notice The agency that manages `agencyId`'s records now: itself, or the end of its successor chain.
    /// @param agencyId The agency.
    /// @return The record keeper's id.
    function recordKeeper(uint32 agencyId) external view returns (uint32);

    /// @notice Whether `account` holds the platform's governance role.
    /// @param account The account.
    /// @return True for governance.
    function isGovernor(address account) external view returns (bool);

    /// @notice Everything about one agency.
    /// @param agencyId The agency.
    /// @return The agency's record.
    function agency(uint32 agencyId) external view returns (AgencyView memory);

    /// @notice Whether `account` is currently an operator of `agencyId` (whatever the agency's status).
    /// @param agencyId The agency.
    /// @param account The account.
    /// @return active True while it is an operator.
    /// @return compromisedSince When its key was reported compromised, or 0.
    /// @return keyId The key id of the pair, or 0 when it never was an operator.
    function operatorStatus(
        uint32 agencyId,
        address account
    ) external view returns (bool active, uint48 compromisedSince, uint32 keyId);

    /// @notice The capabilities an agency may use now: its own, limited by every ancestor's, or 0 when it or
    /// an ancestor is not active.
    /// @param agencyId The agency.
    /// @return The effective mask.
    function effectiveCapabilities(uint32 agencyId) external view returns (uint32);

    /// @notice The number of agencies ever onboarded; ids run from 1 to this.
    /// @return The count.
    function agencyCount() external view returns (uint32);
}

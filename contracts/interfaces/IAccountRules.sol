// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

/// @title IAccountRules
/// @notice Account permissioning for Besu 25.5 and earlier (on-chain account permissioning) and for permissioning
/// plugins: the node asks `transactionAllowed` before it accepts a transaction, and this answers from the agency
/// directory, so a suspended agency or a removed operator key loses its right to send transactions at once.
/// @dev OPTIONAL. Current Besu (25.6 and later) removed on-chain permissioning; there the node-level allowlist is the
/// local `permissions_config.toml`, kept in step with the directory by the SDK's `syncPermissions`. The directory has
/// no reverse lookup from an account to its agencies, so each account that should send transactions is registered
/// once under the agency that entitles it; the answer is always recomputed from the directory's current state.
interface IAccountRules {
    /// @notice `account` is now looked up under `agencyId` (its operators, or its admin).
    event AccountRegistered(address indexed account, uint32 indexed agencyId, address indexed registeredBy);
    /// @notice `account` is no longer looked up under `agencyId`.
    event AccountUnregistered(address indexed account, uint32 indexed agencyId, address indexed unregisteredBy);
    /// @notice Governance allowed or disallowed a platform account (a deployer, a relayer) that acts for no agency.
    event PlatformAccountSet(address indexed account, bool allowed);

    /// @notice The zero address cannot be registered or allowed.
    error AccountRulesZeroAddress();
    /// @notice Only governance, or the admin of `agencyId`, may do this.
    error AccountRulesUnauthorized(address caller, uint32 agencyId);
    /// @notice Only governance may do this.
    error AccountRulesGovernanceRequired(address caller);
    /// @notice `account` is neither an active operator nor the admin of a live `agencyId`, so registering it under
    /// that agency would allow nothing.
    error AccountNotEntitled(address account, uint32 agencyId);
    /// @notice `account` is registered under `agencyId`, which still entitles it: unregister it there first.
    error AccountAlreadyRegistered(address account, uint32 agencyId);
    /// @notice `account` is not registered under any agency.
    error AccountNotRegistered(address account);

    /// @notice Registers `account` under `agencyId`, so that its transactions are allowed while it is an active
    /// operator of `agencyId` (or its admin) and the agency and all its ancestors are active. Governance or the
    /// agency's admin.
    /// @dev Reverts {AccountNotEntitled} when the directory does not entitle the account now, so an admin cannot
    /// park another agency's key under its own agency. An existing registration that no longer entitles the
    /// account (key removed, agency suspended or dissolved) may be overwritten; one that still does may not.
    /// @param account The account that sends transactions.
    /// @param agencyId The agency that entitles it.
    function registerAccount(address account, uint32 agencyId) external;

    /// @notice Removes the registration of `account`. Governance or the admin of the agency it is registered under.
    /// @dev Not needed for security (every answer re-reads the directory); it frees the slot for another agency.
    /// @param account The registered account.
    function unregisterAccount(address account) external;

    /// @notice Allows or disallows an account that acts for no agency (the deployer, a relayer). Governance only.
    /// @param account The account.
    /// @param allowed Whether it may send transactions.
    function setPlatformAccount(address account, bool allowed) external;

    /// @notice Besu's account rules hook: whether `sender` may send this transaction. True for governance, for
    /// platform accounts, and for a registered account that its agency entitles now (an active operator key, or
    /// the admin, of an agency that is active with all its ancestors).
    /// @dev Only `sender` is used; the other arguments are part of the hook's fixed signature.
    /// @param sender The transaction's sender.
    /// @param target The recipient (the zero address for a contract creation).
    /// @param value The wei sent.
    /// @param gasPrice The gas price.
    /// @param gasLimit The gas limit.
    /// @param payload The call data.
    /// @return True when the transaction is allowed.
    function transactionAllowed(
        address sender,
        address target,
        uint256 value,
        uint256 gasPrice,
        uint256 gasLimit,
        bytes calldata payload
    ) external view returns (bool);

    /// @notice Whether `account` may send transactions now (the decision of {transactionAllowed}).
    /// @param account The account.
    /// @return True when allowed.
    function isAccountAllowed(address account) external view returns (bool);

    /// @notice The agency `account` is registered under, or 0.
    /// @param account The account.
    /// @return The agency id.
    function registeredAgency(address account) external view returns (uint32);

    /// @notice Whether governance allowed `account` as a platform account.
    /// @param account The account.
    /// @return True when allowed.
    function isPlatformAccount(address account) external view returns (bool);
}

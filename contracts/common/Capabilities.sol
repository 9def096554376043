// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

/// @title Capabilities
/// @notice The powers the platform grants to agencies, as bits of a `uint32` mask. A registry asks the agency
/// directory whether an account may act for an agency with one of these.
library Capabilities {
    /// @notice Register certificate types and issue, revoke, suspend and supersede certificates.
    uint32 internal constant ISSUE_CERTIFICATES = 1 << 0;
    /// @notice Register property titles and approve their transfers (the land registry).
    uint32 internal constant REGISTER_TITLES = 1 << 1;
    /// @notice Register and release mortgages on titles (a lender).
    uint32 internal constant HOLD_LIENS = 1 << 2;
    /// @notice Freeze and unfreeze titles (a court).
    uint32 internal constant FREEZE_TITLES = 1 << 3;
    /// @notice Publish datasets in the data-sharing catalogue and answer access requests for them.
    uint32 internal constant PUBLISH_DATASETS = 1 << 4;
    /// @notice Request access to other agencies' datasets and record access receipts.
    uint32 internal constant REQUEST_DATA = 1 << 5;
    /// @notice Accredit child agencies with a subset of the accrediting agency's own capabilities.
    uint32 internal constant ACCREDIT_AGENCIES = 1 << 6;
    /// @notice Publish one-stop government services and act on their cases.
    uint32 internal constant RUN_SERVICES = 1 << 7;

    /// @notice Every capability defined so far; any other bit is refused.
    uint32 internal constant ALL = (1 << 8) - 1;
}

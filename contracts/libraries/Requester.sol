// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

/// @notice Who asks for data: an agency of the directory or an enterprise account, in one word so that an access
/// key stays `(subject, requester, dataset, purpose)`.
/// @dev Layout (192 bits): `agencyId << 160 | account`. Exactly one part is non-zero: an agency requester has
/// `account == 0`, an enterprise requester has `agencyId == 0`. The two can never collide, and a value with both
/// parts or neither is invalid everywhere.
type Requester is uint192;

using RequesterLib for Requester global;

/// @title RequesterLib
/// @notice Builds and reads {Requester} values.
library RequesterLib {
    uint8 private constant AGENCY_SHIFT = 160;

    /// @notice The requester that is agency `agency` (any of its operators acts for it).
    function fromAgency(uint32 agency) internal pure returns (Requester) {
        return Requester.wrap(uint192(agency) << AGENCY_SHIFT);
    }

    /// @notice The requester that is the enterprise account `enterprise` (only that account acts for it).
    function fromAccount(address enterprise) internal pure returns (Requester) {
        return Requester.wrap(uint192(uint160(enterprise)));
    }

    /// @notice The agency id, or 0 for an enterprise requester.
    function agencyId(Requester requester) internal pure returns (uint32) {
        return uint32(Requester.unwrap(requester) >> AGENCY_SHIFT);
    }

    /// @notice The enterprise account, or the zero address for an agency requester.
    function account(Requester requester) internal pure returns (address) {
        return address(uint160(Requester.unwrap(requester)));
    }

    /// @notice Whether exactly one of the agency id and the account is set.
    function isValid(Requester requester) internal pure returns (bool) {
        return (requester.agencyId() == 0) != (requester.account() == address(0));
    }
}

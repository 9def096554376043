// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {ICertificateRegistry} from "../interfaces/ICertificateRegistry.sol";

/// @notice The record of one certificate, packed in one storage word so that issuing writes one slot and a status
/// check reads one. Bit layout, from the low-order end:
///
/// | bits      | field            | type    | notes                                                    |
/// |-----------|------------------|---------|----------------------------------------------------------|
/// | 0..7      | status           | uint8   | {ICertificateRegistry.CertificateStatus}; 0 = no record  |
/// | 8..39     | typeId           | uint32  |                                                          |
/// | 40..71    | issuerKeyId      | uint32  | the directory's operator key id; 0 = governance          |
/// | 72..111   | issuedAt         | uint40  | block timestamp                                          |
/// | 112..151  | validFrom        | uint40  |                                                          |
/// | 152..191  | validUntil       | uint40  | 0 = never expires                                        |
/// | 192..223  | statusListIndex  | uint32  | reserved for a W3C Bitstring Status List position        |
/// | 224..231  | revocationReason | uint8   | set on revocation                                        |
/// | 232..255  | (free)           |         |                                                          |
type CertificateRecord is uint256;

using CertificateRecordLib for CertificateRecord global;

/// @title CertificateRecordLib
/// @notice Packs and reads {CertificateRecord} words.
library CertificateRecordLib {
    uint256 private constant TYPE_ID_SHIFT = 8;
    uint256 private constant ISSUER_KEY_ID_SHIFT = 40;
    uint256 private constant ISSUED_AT_SHIFT = 72;
    uint256 private constant VALID_FROM_SHIFT = 112;
    uint256 private constant VALID_UNTIL_SHIFT = 152;
    uint256 private constant STATUS_LIST_INDEX_SHIFT = 192;
    uint256 private constant REVOCATION_REASON_SHIFT = 224;
    uint256 private constant STATUS_MASK = 0xff;

    /// @notice A freshly issued record (no status-list index, no revocation reason).
    function issued(
        uint32 typeId_,
        uint32 issuerKeyId_,
        uint40 issuedAt_,
        uint40 validFrom_,
        uint40 validUntil_
    ) internal pure returns (CertificateRecord) {
        return
            CertificateRecord.wrap(
                uint256(ICertificateRegistry.CertificateStatus.Issued) |
                    (uint256(typeId_) << TYPE_ID_SHIFT) |
                    (uint256(issuerKeyId_) << ISSUER_KEY_ID_SHIFT) |
                    (uint256(issuedAt_) << ISSUED_AT_SHIFT) |
                    (uint256(validFrom_) << VALID_FROM_SHIFT) |
                    (uint256(validUntil_) << VALID_UNTIL_SHIFT)
            );
    }

    /// @notice Whether there is no record (never issued on its own).
    function isEmpty(CertificateRecord record) internal pure returns (bool) {
        return CertificateRecord.unwrap(record) == 0;
    }

    /// @notice The same record with another status.
    function withStatus(
        CertificateRecord record,
        ICertificateRegistry.CertificateStatus status_
    ) internal pure returns (CertificateRecord) {
        return CertificateRecord.wrap((CertificateRecord.unwrap(record) & ~STATUS_MASK) | uint256(status_));
    }

    /// @notice The same record, revoked for `reason`.
    function withRevocation(CertificateRecord record, uint8 reason) internal pure returns (CertificateRecord) {
        uint256 word = CertificateRecord.unwrap(record.withStatus(ICertificateRegistry.CertificateStatus.Revoked));
        word =
            (word & ~(uint256(type(uint8).max) << REVOCATION_REASON_SHIFT)) |
            (uint256(reason) << REVOCATION_REASON_SHIFT);
        return CertificateRecord.wrap(word);
    }

    function status(CertificateRecord record) internal pure returns (ICertificateRegistry.CertificateStatus) {
        return ICertificateRegistry.CertificateStatus(uint8(CertificateRecord.unwrap(record)));
    }

    function typeId(CertificateRecord record) internal pure returns (uint32) {
        return uint32(CertificateRecord.unwrap(record) >> TYPE_ID_SHIFT);
    }

    function issuerKeyId(CertificateRecord record) internal pure returns (uint32) {
        return uint32(CertificateRecord.unwrap(record) >> ISSUER_KEY_ID_SHIFT);
    }

    function issuedAt(CertificateRecord record) internal pure returns (uint40) {
        return uint40(CertificateRecord.unwrap(record) >> ISSUED_AT_SHIFT);
    }

    function validFrom(CertificateRecord record) internal pure returns (uint40) {
        return uint40(CertificateRecord.unwrap(record) >> VALID_FROM_SHIFT);
    }

    function validUntil(CertificateRecord record) internal pure returns (uint40) {
        return uint40(CertificateRecord.unwrap(record) >> VALID_UNTIL_SHIFT);
    }

    function statusListIndex(CertificateRecord record) internal pure returns (uint32) {
        return uint32(CertificateRecord.unwrap(record) >> STATUS_LIST_INDEX_SHIFT);
    }

    function revocationReason(CertificateRecord record) internal pure returns (uint8) {
        return uint8(CertificateRecord.unwrap(record) >> REVOCATION_REASON_SHIFT);
    }
}

// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {Capabilities} from "../common/Capabilities.sol";
import {IAgencyDirectory} from "../interfaces/IAgencyDirectory.sol";
import {ICertificateRegistry} from "../interfaces/ICertificateRegistry.sol";

/// @title CertificateRegistryMock
/// @notice Test stand-in for the certificate registry while the real one is being written: same interface, same
/// authorisation (directory, ISSUE_CERTIFICATES) and a one-slot record, so that the title registry's integration
/// and gas can be exercised. Not deployed anywhere.
contract CertificateRegistryMock is ICertificateRegistry {
    /// @dev One slot: status 1 | typeId 4 | keyId 4 | validFrom 5 | validUntil 5.
    struct Record {
        CertificateStatus status;
        uint32 typeId;
        uint32 keyId;
        uint40 validFrom;
        uint40 validUntil;
    }

    /// @notice A certificate was issued.
    event CertificateIssued(
        bytes32 indexed certificateId,
        uint32 indexed typeId,
        bytes32 indexed holderCommitment,
        uint32 keyId
    );
    /// @notice A type was registered.
    event TypeRegistered(uint32 indexed typeId, uint32 indexed agencyId, string name);

    /// @notice The caller may not issue for the agency.
    error IssuerRequired(uint32 agencyId, address account);
    /// @notice The certificate exists already.
    error CertificateExists(bytes32 certificateId);
    /// @notice No such type.
    error TypeUnknown(uint32 typeId);

    IAgencyDirectory private immutable _directory;
    uint32 private _typeCount;
    mapping(uint32 typeId => CertificateType) private _types;
    mapping(bytes32 certificateId => Record) private _records;

    /// @param directory_ The agency directory.
    constructor(IAgencyDirectory directory_) {
        _directory = directory_;
    }

    /// @inheritdoc ICertificateRegistry
    function registerType(
        uint32 agencyId,
        string calldata name,
        bytes32 schemaHash,
        bool revocable,
        uint40 defaultValidity
    ) external returns (uint32 typeId) {
        if (!_directory.canAct(msg.sender, agencyId, Capabilities.ISSUE_CERTIFICATES)) {
            revert IssuerRequired(agencyId, msg.sender);
        }
        typeId = ++_typeCount;
        _types[typeId] = CertificateType(agencyId, revocable, false, defaultValidity, schemaHash, name);
        emit TypeRegistered(typeId, agencyId, name);
    }

    /// @inheritdoc ICertificateRegistry
    function issue(
        bytes32 certificateId,
        uint32 typeId,
        bytes32 holderCommitment,
        uint40 validFrom,
        uint40 validUntil
    ) external {
        uint32 agencyId = _types[typeId].agencyId;
        if (agencyId == 0) revert TypeUnknown(typeId);
        uint32 keyId = _directory.authorizedKey(msg.sender, agencyId, Capabilities.ISSUE_CERTIFICATES);
        if (keyId == 0) revert IssuerRequired(agencyId, msg.sender);
        Record storage record = _records[certificateId];
        if (record.status != CertificateStatus.None) revert CertificateExists(certificateId);
        _records[certificateId] = Record(
            CertificateStatus.Issued,
            typeId,
            keyId,
            validFrom == 0 ? uint40(block.timestamp) : validFrom,
            validUntil
        );
        emit CertificateIssued(certificateId, typeId, holderCommitment, keyId);
    }

    /// @inheritdoc ICertificateRegistry
    function statusOf(bytes32 certificateId) external view returns (CertificateStatus) {
        return _records[certificateId].status;
    }
}

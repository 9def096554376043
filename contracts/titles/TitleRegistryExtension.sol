// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {ShortString, ShortStrings} from "@openzeppelin/contracts/utils/ShortStrings.sol";

import {IAgencyDirectory} from "../interfaces/IAgencyDirectory.sol";
import {ICertificateRegistry} from "../interfaces/ICertificateRegistry.sol";
import {TitleOwners} from "../libraries/TitleOwners.sol";
import {TitleRegistryBase} from "./TitleRegistryBase.sol";

/// @title TitleRegistryExtension
/// @notice The part of the title registry that is not on a hot path: sale proposals, registrar transfers,
/// corrections, certificates on demand, configuration, the lineage and lien-release hooks, and the rich views.
/// @dev Never called directly: {TitleRegistry}'s fallback delegatecalls it, so it runs in the proxy's storage with
/// the proxy's `msg.sender`. Called directly, it would only ever see its own empty storage. It has no initializer.
contract TitleRegistryExtension is TitleRegistryBase {
    using ShortStrings for ShortString;

    /// @param directory_ The agency directory (proxy).
    /// @param certificates_ The certificate registry (proxy).
    /// @param jurisdiction_ The jurisdiction path (at most 31 bytes).
    constructor(
        IAgencyDirectory directory_,
        ICertificateRegistry certificates_,
        string memory jurisdiction_
    ) TitleRegistryBase(directory_, certificates_, jurisdiction_) {}

    // ---------------------------------------------------------------------------------------------------------------
    // Sale proposals
    // ---------------------------------------------------------------------------------------------------------------

    /// @notice See {ITitleRegistry-proposeTransfer}.
    function proposeTransfer(
        uint256 titleId,
        Owner[] calldata buyers,
        bytes32 saleContractHash,
        bytes32[] calldata discharges,
        uint40 expiresAt
    ) external returns (uint64 proposalId) {
        TitleRegistryStorage storage $ = _storage();
        TitleRecord storage record = _activeTitle($, titleId);
        uint256 sellerIndex = _ownerIndex($, titleId, record.ownerCount, msg.sender);
        if (sellerIndex == NOT_FOUND) revert OwnerRequired(titleId, msg.sender);
        Proposal storage open = $.proposals[titleId];
        if (open.id != 0 && block.timestamp < open.expiresAt && open.revision == record.revision) {
            revert ProposalPending(titleId, open.id, open.expiresAt);
        }
        if (expiresAt <= block.timestamp || expiresAt > block.timestamp + MAX_PROPOSAL_LIFETIME) {
            revert ProposalExpiryInvalid(expiresAt);
        }
        _requireValidOwners(buyers);
        if (discharges.length > MAX_DISCHARGES) revert ProposalDischargesTooMany(discharges.length);

        uint256 buyerIndex = _storeProposalParts($, titleId, buyers, discharges);
        proposalId = ++$.proposalCount;
        $.proposals[titleId] = Proposal({
            id: proposalId,
            expiresAt: expiresAt,
            revision: record.revision,
            sellerConsents: uint32(1 << sellerIndex),
            buyerAcceptances: buyerIndex == NOT_FOUND ? 0 : uint32(1 << buyerIndex),
            buyerCount: uint8(buyers.length),
            dischargeCount: uint8(discharges.length),
            saleContractHash: saleContractHash
        });
        emit TransferProposed(titleId, proposalId, msg.sender, buyers, saleContractHash, discharges, expiresAt);
        emit TransferAccepted(titleId, proposalId, msg.sender);
    }

    /// @notice See {ITitleRegistry-acceptTransfer}.
    function acceptTransfer(uint256 titleId, uint64 proposalId) external {
        TitleRegistryStorage storage $ = _storage();
        TitleRecord storage record = _activeTitle($, titleId);
        Proposal storage open = _liveProposal($, titleId, record, proposalId);
        uint256 sellerIndex = _ownerIndex($, titleId, record.ownerCount, msg.sender);
        uint256 buyerIndex = _buyerIndex($, titleId, open.buyerCount, msg.sender);
        if (sellerIndex == NOT_FOUND && buyerIndex == NOT_FOUND) {
            revert ProposalPartyRequired(titleId, proposalId, msg.sender);
        }
        if (sellerIndex != NOT_FOUND) open.sellerConsents |= uint32(1 << sellerIndex);
        if (buyerIndex != NOT_FOUND) open.buyerAcceptances |= uint32(1 << buyerIndex);
        emit TransferAccepted(titleId, proposalId, msg.sender);
    }

    /// @notice See {ITitleRegistry-cancelTransfer}.
    function cancelTransfer(uint256 titleId, uint64 proposalId) external {
        TitleRegistryStorage storage $ = _storage();
        TitleRecord storage record = _existingTitle($, titleId);
        Proposal storage open = $.proposals[titleId];
        if (proposalId == 0 || open.id != proposalId) revert ProposalUnknown(titleId, proposalId);
        if (
            _ownerIndex($, titleId, record.ownerCount, msg.sender) == NOT_FOUND &&
            _buyerIndex($, titleId, open.buyerCount, msg.sender) == NOT_FOUND
        ) {
            revert ProposalPartyRequired(titleId, proposalId, msg.sender);
        }
        delete $.proposals[titleId];
        emit TransferCancelled(titleId, proposalId, msg.sender);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Registrar desk
    // ---------------------------------------------------------------------------------------------------------------

    /// @notice See {ITitleRegistry-registerTransfer}.
    function registerTransfer(
        uint256 titleId,
        RegistrationBasis basis,
        Owner[] calldata newOwners,
        bytes32 legalBasisHash,
        bytes32[] calldata discharges,
        Certificate[] calldata certificates
    ) external {
        TitleRegistryStorage storage $ = _storage();
        TitleRecord storage record = _activeTitle($, titleId);
        _requireRegistrar(record.agencyId);
        if (basis != RegistrationBasis.Inheritance && basis != RegistrationBasis.CourtOrder) {
            revert RegistrationBasisInvalid(basis);
        }
        _requireValidOwners(newOwners);
        if (discharges.length > MAX_DISCHARGES) revert ProposalDischargesTooMany(discharges.length);
        if (discharges.length != 0) _discharge($, titleId, record, discharges);
        _transferOwnership($, titleId, record, newOwners, basis, legalBasisHash, certificates);
    }

    /// @notice See {ITitleRegistry-correctTitle}.
    function correctTitle(uint256 titleId, ParcelData calldata corrected, bytes32 basisHash) external {
        TitleRecord storage record = _activeTitle(_storage(), titleId);
        _requireRegistrar(record.agencyId);
        _requireValidData(corrected);
        ParcelData memory previous = ParcelData(record.kind, record.landUse, record.area, record.documentsHash);
        record.kind = corrected.kind;
        record.landUse = corrected.landUse;
        record.area = corrected.area;
        record.documentsHash = corrected.documentsHash;
        ++record.revision;
        emit TitleCorrected(titleId, previous, corrected, basisHash);
        emit MetadataUpdate(titleId);
    }

    /// @notice See {ITitleRegistry-issueCertificates}.
    function issueCertificates(uint256 titleId, Certificate[] calldata certificates) external {
        TitleRegistryStorage storage $ = _storage();
        TitleRecord storage record = _activeTitle($, titleId);
        _requireRegistrar(record.agencyId);
        bytes32[] memory certificateIds = _certificateIds(certificates, record.ownerCount, true);
        emit CertificatesIssued(titleId, msg.sender, certificateIds);
        _issue($, record.agencyId, certificates);
    }

    /// @notice See {ITitleRegistry-setCertificateType}.
    function setCertificateType(uint32 agencyId, uint32 typeId) external {
        _requireRegistrar(agencyId);
        _storage().certificateTypes[agencyId] = typeId;
        emit CertificateTypeSet(agencyId, typeId);
    }

    /// @notice See {ITitleRegistry-setCompanions}.
    function setCompanions(
        address lienRegistry,
        address restrictionRegistry,
        address parcelLineage
    ) external onlyGovernor {
        if (lienRegistry == address(0) || restrictionRegistry == address(0) || parcelLineage == address(0)) {
            revert TitleZeroAddress();
        }
        TitleRegistryStorage storage $ = _storage();
        $.lienRegistry = lienRegistry;
        $.restrictionRegistry = restrictionRegistry;
        $.parcelLineage = parcelLineage;
        emit CompanionsSet(lienRegistry, restrictionRegistry, parcelLineage);
    }

    /// @notice See {ITitleRegistry-setBaseURI}.
    function setBaseURI(string calldata baseURI_) external onlyGovernor {
        _storage().baseURI = baseURI_;
        emit BaseURISet(baseURI_);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Hooks for the companion contracts
    // ---------------------------------------------------------------------------------------------------------------

    /// @notice See {ITitleRegistry-onLienReleased}.
    function onLienReleased(uint256 titleId) external {
        TitleRegistryStorage storage $ = _storage();
        if (msg.sender != $.lienRegistry) revert TitleCompanionRequired(msg.sender);
        --$.titles[titleId].activeLiens;
        emit MetadataUpdate(titleId);
    }

    /// @notice See {ITitleRegistry-retire}.
    function retire(uint256 titleId) external returns (uint32 agencyId, Owner[] memory owners) {
        TitleRegistryStorage storage $ = _storage();
        if (msg.sender != $.parcelLineage) revert TitleCompanionRequired(msg.sender);
        TitleRecord storage record = _activeTitle($, titleId);
        if (record.activeLiens != 0) revert TitleEncumbered(titleId, record.activeLiens);
        if (record.flags & FLAG_RESTRICTED != 0) _checkRestrictions($, titleId, record);
        owners = _owners($, titleId, record);
        agencyId = DIRECTORY.recordKeeper(record.agencyId);
        record.status = TitleStatus.Retired;
        ++record.revision;
        _burn(titleId);
        delete $.proposals[titleId];
        emit TitleRetired(titleId);
        emit MetadataUpdate(titleId);
    }

    /// @notice See {ITitleRegistry-registerDerived}.
    function registerDerived(
        uint32 agencyId,
        address registrar,
        string calldata parcelNumber,
        ParcelData calldata data,
        Owner[] calldata owners,
        RegistrationBasis basis,
        bytes32 basisHash
    ) external returns (uint256 titleId) {
        TitleRegistryStorage storage $ = _storage();
        if (msg.sender != $.parcelLineage) revert TitleCompanionRequired(msg.sender);
        Owner[] memory list = owners;
        titleId = _createTitle($, agencyId, parcelNumber, data, list);
        emit OwnershipRegistered(titleId, basis, registrar, 0, list, basisHash, new bytes32[](0));
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Views
    // ---------------------------------------------------------------------------------------------------------------

    /// @notice See {ITitleRegistry-title}.
    function title(uint256 titleId) external view returns (TitleView memory view_) {
        TitleRegistryStorage storage $ = _storage();
        TitleRecord storage record = _existingTitle($, titleId);
        view_.agencyId = record.agencyId;
        view_.kind = record.kind;
        view_.status = record.status;
        view_.landUse = record.landUse;
        view_.area = record.area;
        view_.documentsHash = record.documentsHash;
        view_.registeredAt = record.registeredAt;
        view_.revision = record.revision;
        view_.activeLiens = record.activeLiens;
        view_.lienCount = record.lienCount;
        view_.mayBeRestricted = record.flags & FLAG_RESTRICTED != 0;
        if (record.status == TitleStatus.Active) view_.owners = _owners($, titleId, record);
    }

    /// @notice See {ITitleRegistry-ownersOf}.
    function ownersOf(uint256 titleId) external view returns (Owner[] memory owners, uint32 revision) {
        TitleRegistryStorage storage $ = _storage();
        TitleRecord storage record = _activeTitle($, titleId);
        return (_owners($, titleId, record), record.revision);
    }

    /// @notice See {ITitleRegistry-ownerIndexOf}.
    function ownerIndexOf(
        uint256 titleId,
        address account
    ) external view returns (uint256 index, uint8 ownerCount, uint32 revision) {
        TitleRegistryStorage storage $ = _storage();
        TitleRecord storage record = _activeTitle($, titleId);
        ownerCount = record.ownerCount;
        index = _ownerIndex($, titleId, ownerCount, account);
        if (index == NOT_FOUND) revert OwnerRequired(titleId, account);
        revision = record.revision;
    }

    /// @notice See {ITitleRegistry-proposal}.
    function proposal(uint256 titleId) external view returns (ProposalView memory view_) {
        TitleRegistryStorage storage $ = _storage();
        Proposal storage open = $.proposals[titleId];
        if (open.id == 0) return view_;
        view_.id = open.id;
        view_.expiresAt = open.expiresAt;
        view_.revision = open.revision;
        view_.sellerConsents = open.sellerConsents;
        view_.buyerAcceptances = open.buyerAcceptances;
        view_.saleContractHash = open.saleContractHash;
        view_.buyers = new Owner[](open.buyerCount);
        for (uint256 i = 0; i < open.buyerCount; ++i) {
            OwnerSlot storage buyer = $.buyers[titleId][i];
            view_.buyers[i] = Owner(
                buyer.account,
                buyer.shares,
                buyer.hasCommitment ? $.buyerCommitments[titleId][i] : bytes32(0)
            );
        }
        view_.discharges = new bytes32[](open.dischargeCount);
        for (uint256 i = 0; i < open.dischargeCount; ++i) {
            view_.discharges[i] = $.discharges[titleId][i];
        }
    }

    /// @notice See {ITitleRegistry-jurisdiction}.
    function jurisdiction() external view returns (string memory) {
        return JURISDICTION.toString();
    }

    /// @notice See {ITitleRegistry-certificateType}.
    function certificateType(uint32 agencyId) external view returns (uint32) {
        return _storage().certificateTypes[agencyId];
    }

    /// @notice See {ITitleRegistry-companions}.
    function companions()
        external
        view
        returns (address lienRegistry, address restrictionRegistry, address parcelLineage)
    {
        TitleRegistryStorage storage $ = _storage();
        return ($.lienRegistry, $.restrictionRegistry, $.parcelLineage);
    }

    /// @notice The agency directory this registry asks.
    /// @return The directory.
    function directory() external view returns (IAgencyDirectory) {
        return DIRECTORY;
    }

    /// @notice The certificate registry this registry issues through.
    /// @return The certificate registry.
    function certificateRegistry() external view returns (ICertificateRegistry) {
        return CERTIFICATES;
    }

    /// @notice See {ITitleRegistry-titleIdOf}.
    function titleIdOf(string calldata jurisdiction_, string calldata parcelNumber) external pure returns (uint256) {
        return _titleIdOf(jurisdiction_, parcelNumber);
    }

    /// @notice See {ITitleRegistry-ownersDigest}.
    function ownersDigest(Owner[] calldata owners) external pure returns (bytes32) {
        return TitleOwners.digest(owners);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Internal
    // ---------------------------------------------------------------------------------------------------------------

    /// @dev Stores a proposal's buyers and discharges; returns the caller's index among the buyers, or NOT_FOUND.
    function _storeProposalParts(
        TitleRegistryStorage storage $,
        uint256 titleId,
        Owner[] calldata buyers,
        bytes32[] calldata discharges
    ) private returns (uint256 callerIndex) {
        callerIndex = NOT_FOUND;
        for (uint256 i = 0; i < buyers.length; ++i) {
            bytes32 commitment = buyers[i].identityCommitment;
            $.buyers[titleId][i] = OwnerSlot(buyers[i].account, buyers[i].shares, commitment != 0);
            if (commitment != 0) $.buyerCommitments[titleId][i] = commitment;
            if (buyers[i].account == msg.sender) callerIndex = i;
        }
        for (uint256 i = 0; i < discharges.length; ++i) {
            $.discharges[titleId][i] = discharges[i];
        }
    }
}

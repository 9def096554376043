// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";
import {Proxy} from "@openzeppelin/contracts/proxy/Proxy.sol";

import {Capabilities} from "../common/Capabilities.sol";
import {IAgencyDirectory} from "../interfaces/IAgencyDirectory.sol";
import {ICertificateRegistry} from "../interfaces/ICertificateRegistry.sol";
import {TitleRegistryBase} from "./TitleRegistryBase.sol";
import {TitleRegistryExtension} from "./TitleRegistryExtension.sol";

/// @title TitleRegistry
/// @notice The real-estate register: titles as ERC-721 tokens, their owners, the sale and registrar transfer
/// workflows, corrections and certificate issuance. The proxy serves all of {ITitleRegistry}.
/// @dev Decisions, each driven by the 24 KiB code limit or by the gas budget of the hot paths (first registration,
/// sale approval, lien registration):
/// - Two implementation contracts behind one proxy: this one holds the hot paths (registration, sale approval, the
///   lien and restriction hooks) and ERC-721; its fallback delegates every other selector to
///   {TitleRegistryExtension}, which shares {TitleRegistryBase} and so the same ERC-7201 storage. Cold paths pay one
///   extra delegatecall; hot paths pay nothing. The extension is an immutable: upgrading either means deploying both.
/// - Mortgages ({LienRegistry}), restrictions ({RestrictionRegistry}) and subdivisions/mergers ({ParcelLineage}) are
///   companion contracts that change a title only through hooks. The record counts active liens and keeps a "may be
///   restricted" bit, so a transfer of an unencumbered title never calls out.
/// - The first owner holds the ERC-721 token, so wallets and `ownerOf` show a real owner; that owner's share sits in
///   the record slot and only further co-owners take slots of their own.
/// - The parcel number is in the {TitleRegistered} event and in the id, not in storage: the id is
///   `keccak256(abi.encode(jurisdiction, parcelNumber))`, so whoever has the number finds the title.
/// - The directory, the certificate registry and the jurisdiction are immutables (the first two are stable
///   proxies), which saves cold storage reads on every call.
/// - ERC-721 approvals can never be given, so clearing them on every move is skipped.
/// UUPS; only governance (directory) upgrades.
contract TitleRegistry is TitleRegistryBase, UUPSUpgradeable, Proxy {
    /// @notice The extension's immutables differ from this contract's.
    error TitleExtensionMismatch(address extension);

    /// @custom:oz-upgrades-unsafe-allow state-variable-immutable
    address private immutable EXTENSION;

    /// @param directory_ The agency directory (proxy).
    /// @param certificates_ The certificate registry (proxy).
    /// @param jurisdiction_ The jurisdiction path (at most 31 bytes).
    /// @param extension_ The {TitleRegistryExtension} deployed with the same three arguments.
    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor(
        IAgencyDirectory directory_,
        ICertificateRegistry certificates_,
        string memory jurisdiction_,
        address extension_
    ) TitleRegistryBase(directory_, certificates_, jurisdiction_) {
        TitleRegistryExtension other = TitleRegistryExtension(extension_);
        if (
            address(other.directory()) != address(directory_) ||
            address(other.certificateRegistry()) != address(certificates_) ||
            keccak256(bytes(other.jurisdiction())) != keccak256(bytes(jurisdiction_))
        ) {
            revert TitleExtensionMismatch(extension_);
        }
        EXTENSION = extension_;
    }

    /// @notice Sets up the registry behind its proxy.
    /// @param baseURI_ Base of token URIs.
    function initialize(string calldata baseURI_) external initializer {
        __ERC721_init("GovChain Property Title", "TITLE");
        _storage().baseURI = baseURI_;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Hot paths
    // ---------------------------------------------------------------------------------------------------------------

    /// @notice See {ITitleRegistry-registerTitle}.
    function registerTitle(
        uint32 agencyId,
        string calldata parcelNumber,
        ParcelData calldata data,
        Owner[] calldata owners,
        Certificate[] calldata certificates
    ) external returns (uint256 titleId) {
        if (!DIRECTORY.canAct(msg.sender, agencyId, Capabilities.REGISTER_TITLES)) {
            revert TitleRegistrarRequired(agencyId, msg.sender);
        }
        TitleRegistryStorage storage $ = _storage();
        Owner[] memory list = owners;
        titleId = _createTitle($, agencyId, parcelNumber, data, list);
        bytes32[] memory certificateIds = _certificateIds(certificates, list.length, false);
        emit OwnershipRegistered(
            titleId,
            RegistrationBasis.FirstRegistration,
            msg.sender,
            0,
            list,
            data.documentsHash,
            certificateIds
        );
        _issue($, agencyId, certificates);
    }

    /// @notice See {ITitleRegistry-approveTransfer}.
    function approveTransfer(uint256 titleId, uint64 proposalId, Certificate[] calldata certificates) external {
        TitleRegistryStorage storage $ = _storage();
        TitleRecord storage record = _activeTitle($, titleId);
        _requireRegistrar(record.agencyId);
        Proposal memory open = _liveProposal($, titleId, record, proposalId);
        if (open.sellerConsents != _allBits(record.ownerCount) || open.buyerAcceptances != _allBits(open.buyerCount)) {
            revert ProposalNotAccepted(titleId, proposalId, open.sellerConsents, open.buyerAcceptances);
        }
        Owner[] memory buyers = new Owner[](open.buyerCount);
        for (uint256 i = 0; i < buyers.length; ++i) {
            OwnerSlot memory buyer = $.buyers[titleId][i];
            buyers[i] = Owner(buyer.account, buyer.shares, 0);
            if (buyer.hasCommitment) {
                buyers[i].identityCommitment = $.buyerCommitments[titleId][i];
                delete $.buyerCommitments[titleId][i];
            }
            delete $.buyers[titleId][i];
        }
        if (open.dischargeCount != 0) {
            bytes32[] memory discharges = new bytes32[](open.dischargeCount);
            for (uint256 i = 0; i < discharges.length; ++i) {
                discharges[i] = $.discharges[titleId][i];
                delete $.discharges[titleId][i];
            }
            _discharge($, titleId, record, discharges);
        }
        delete $.proposals[titleId];
        _transferOwnership($, titleId, record, buyers, RegistrationBasis.Sale, open.saleContractHash, certificates);
    }

    /// @notice See {ITitleRegistry-onLienRegistered}.
    function onLienRegistered(uint256 titleId, uint32 consentRevision) external returns (uint16 rank) {
        TitleRegistryStorage storage $ = _storage();
        if (msg.sender != $.lienRegistry) revert TitleCompanionRequired(msg.sender);
        TitleRecord storage record = _activeTitle($, titleId);
        uint32 revision = record.revision;
        if (revision != consentRevision) revert TitleRevisionChanged(titleId, consentRevision, revision);
        if (record.flags & FLAG_RESTRICTED != 0) _checkRestrictions($, titleId, record);
        uint8 activeLiens = record.activeLiens;
        if (activeLiens == MAX_ACTIVE_LIENS) revert TitleLienLimitReached(titleId);
        rank = record.lienCount + 1;
        record.activeLiens = activeLiens + 1;
        record.lienCount = rank;
        record.revision = revision + 1;
        emit MetadataUpdate(titleId);
    }

    /// @notice See {ITitleRegistry-setRestricted}.
    function setRestricted(uint256 titleId, bool mayBeRestricted) external {
        TitleRegistryStorage storage $ = _storage();
        if (msg.sender != $.restrictionRegistry) revert TitleCompanionRequired(msg.sender);
        TitleRecord storage record = _existingTitle($, titleId);
        if ((record.flags & FLAG_RESTRICTED != 0) == mayBeRestricted) return;
        record.flags ^= FLAG_RESTRICTED;
        emit RestrictionHintChanged(titleId, mayBeRestricted);
        emit MetadataUpdate(titleId);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Views
    // ---------------------------------------------------------------------------------------------------------------

    /// @notice See {ITitleRegistry-titleAgency}.
    function titleAgency(uint256 titleId) external view returns (uint32 agencyId, TitleStatus status) {
        TitleRecord storage record = _storage().titles[titleId];
        return (record.agencyId, record.status);
    }

    /// @notice The contract that serves the selectors this one does not.
    /// @return The {TitleRegistryExtension}.
    function extension() external view returns (address) {
        return EXTENSION;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Internal
    // ---------------------------------------------------------------------------------------------------------------

    /// @dev Only governance upgrades the registry.
    // solhint-disable-next-line no-empty-blocks
    function _authorizeUpgrade(address) internal view override onlyGovernor {}

    /// @dev The fallback (from OpenZeppelin's {Proxy}) delegates here.
    function _implementation() internal view override returns (address) {
        return EXTENSION;
    }
}

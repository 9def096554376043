// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {IERC4906} from "@openzeppelin/contracts/interfaces/IERC4906.sol";
import {IERC721Metadata} from "@openzeppelin/contracts/token/ERC721/extensions/IERC721Metadata.sol";

import {ITitleRegistryTypes} from "./ITitleRegistryTypes.sol";

/// @title ITitleRegistry
/// @notice The real-estate register: one title per registered unit (land parcel, building, apartment) as an ERC-721
/// token whose id derives from the jurisdiction's parcel number, with its owners and shares, and the registration
/// workflow that moves it. Plain ERC-721 transfers and approvals are refused: ownership changes only through a
/// registration (a sale approved by the registrar, or a registrar transfer on a legal basis).
/// @dev Authority comes from the agency directory: the registrar acts for the title's registering agency (or its
/// successor) with REGISTER_TITLES. Three companion contracts, each with one job, change a title only through the
/// hooks below: the lien registry ({ILienRegistry}: mortgages), the restriction registry ({IRestrictionRegistry}:
/// seizures, pre-registrations, objections) and the parcel lineage ({IParcelLineage}: subdivisions and mergers).
/// The record counts active liens and keeps one "may be restricted" bit, so a transfer of an unencumbered title
/// never calls out. The ERC-721 holder of a title is its first listed owner; every owner and share is in the record.
/// The proxy serves this whole interface: hot paths from {TitleRegistry}, the rest from {TitleRegistryExtension}.
interface ITitleRegistry is ITitleRegistryTypes, IERC4906, IERC721Metadata {
    /// @notice Registers a unit for the first time. A registrar of `agencyId`.
    /// @dev The title id is {titleIdOf}(jurisdiction, parcelNumber). The token goes to `owners[0]`.
    /// @param agencyId The registering agency (land registry).
    /// @param parcelNumber The jurisdiction's parcel (real-estate unit) number.
    /// @param data Kind, land use, area, documents hash.
    /// @param owners The owners; shares sum to {BASIS_POINTS}.
    /// @param certificates Certificates to issue now (may be empty: then issued later with {issueCertificates}).
    /// @return titleId The new title's id.
    function registerTitle(
        uint32 agencyId,
        string calldata parcelNumber,
        ParcelData calldata data,
        Owner[] calldata owners,
        Certificate[] calldata certificates
    ) external returns (uint256 titleId);

    /// @notice An owner proposes to sell the title to `buyers`. Counts as the proposer's consent; every other owner
    /// and every buyer must accept, then the registrar approves. One open proposal per title; an expired or stale one
    /// is replaced.
    /// @param titleId The title.
    /// @param buyers The owners after the sale; shares sum to {BASIS_POINTS}.
    /// @param saleContractHash Hash of the contract of sale.
    /// @param discharges Loan contract hashes of the liens the sale discharges (their lenders must agree).
    /// @param expiresAt Moment the proposal lapses, at most {MAX_PROPOSAL_LIFETIME} ahead.
    /// @return proposalId The proposal's id.
    function proposeTransfer(
        uint256 titleId,
        Owner[] calldata buyers,
        bytes32 saleContractHash,
        bytes32[] calldata discharges,
        uint40 expiresAt
    ) external returns (uint64 proposalId);

    /// @notice A current owner consents to, or a buyer accepts, the open proposal (both when the caller is both).
    /// @param titleId The title.
    /// @param proposalId The proposal the caller read; guards against accepting a replacement.
    function acceptTransfer(uint256 titleId, uint64 proposalId) external;

    /// @notice A current owner or a buyer withdraws the open proposal before approval.
    /// @param titleId The title.
    /// @param proposalId The proposal.
    function cancelTransfer(uint256 titleId, uint64 proposalId) external;

    /// @notice The registrar approves a fully accepted sale: named liens are discharged, ownership changes, and the
    /// certificate registry issues the new owners' real-estate certificates.
    /// @param titleId The title.
    /// @param proposalId The proposal.
    /// @param certificates One certificate per buyer, or one for all of them.
    function approveTransfer(uint256 titleId, uint64 proposalId, Certificate[] calldata certificates) external;

    /// @notice The registrar registers a transfer on a legal basis (inheritance, court order) without a proposal.
    /// Freezes, pre-registrations and objections still block it; active liens must be named and agreed.
    /// @param titleId The title.
    /// @param basis `Inheritance` or `CourtOrder`.
    /// @param newOwners The new owners; shares sum to {BASIS_POINTS}.
    /// @param legalBasisHash Hash of the will, certificate of inheritance or judgment.
    /// @param discharges Loan contract hashes of the liens the transfer discharges.
    /// @param certificates One certificate per new owner, or one for all of them.
    function registerTransfer(
        uint256 titleId,
        RegistrationBasis basis,
        Owner[] calldata newOwners,
        bytes32 legalBasisHash,
        bytes32[] calldata discharges,
        Certificate[] calldata certificates
    ) external;

    /// @notice Correction registration: the registrar corrects the parcel data of a record. The previous values
    /// stay in the {TitleCorrected} event.
    /// @param titleId The title.
    /// @param corrected The corrected data.
    /// @param basisHash Hash of the document justifying the correction.
    function correctTitle(uint256 titleId, ParcelData calldata corrected, bytes32 basisHash) external;

    /// @notice The registrar issues real-estate certificates for the current owners of an active title: after a
    /// subdivision or merger, or to replace a lost certificate.
    /// @param titleId The title.
    /// @param certificates One certificate per owner, or one for all of them.
    function issueCertificates(uint256 titleId, Certificate[] calldata certificates) external;

    /// @notice Sets the certificate type issued for titles registered by `agencyId`. A registrar of the agency
    /// (or of its successor).
    /// @param agencyId The registering agency.
    /// @param typeId A real-estate certificate type of the certificate registry.
    function setCertificateType(uint32 agencyId, uint32 typeId) external;

    /// @notice Sets the companion contracts. Governance.
    /// @param lienRegistry The lien registry.
    /// @param restrictionRegistry The restriction registry.
    /// @param parcelLineage The parcel lineage.
    function setCompanions(address lienRegistry, address restrictionRegistry, address parcelLineage) external;

    /// @notice Sets the base of token URIs. Governance.
    /// @param baseURI The base URI (token id appended).
    function setBaseURI(string calldata baseURI) external;

    /// @notice Lien registry hook: a lien is registered on consents given against `consentRevision`. Checks the
    /// title is active, unchanged since, and free of restrictions; counts the lien and bumps the revision.
    /// @param titleId The title.
    /// @param consentRevision The revision the owners consented against.
    /// @return rank The lien's registration order on the title (1 first).
    function onLienRegistered(uint256 titleId, uint32 consentRevision) external returns (uint16 rank);

    /// @notice Lien registry hook: a lien was released.
    /// @param titleId The title.
    function onLienReleased(uint256 titleId) external;

    /// @notice Restriction registry hook: it added a restriction (`true`) or found none left (`false`).
    /// @param titleId The title.
    /// @param mayBeRestricted The new hint.
    function setRestricted(uint256 titleId, bool mayBeRestricted) external;

    /// @notice Parcel lineage hook: retires a title for a subdivision or merger. Refused while a lien or restriction
    /// stands. Burns the token and keeps the record.
    /// @param titleId The title.
    /// @return agencyId The agency managing its records now (the child titles' registering agency).
    /// @return owners Its owners, for the children.
    function retire(uint256 titleId) external returns (uint32 agencyId, Owner[] memory owners);

    /// @notice Parcel lineage hook: registers a child title of a subdivision or merger.
    /// @param agencyId The registering agency.
    /// @param registrar The registrar the lineage contract authorised, recorded in {OwnershipRegistered}.
    /// @param parcelNumber The child's parcel number.
    /// @param data The child's parcel data.
    /// @param owners The child's owners (those of its parents).
    /// @param basis `Subdivision` or `Merger`.
    /// @param basisHash Hash of the survey and decision.
    /// @return titleId The child's id.
    function registerDerived(
        uint32 agencyId,
        address registrar,
        string calldata parcelNumber,
        ParcelData calldata data,
        Owner[] calldata owners,
        RegistrationBasis basis,
        bytes32 basisHash
    ) external returns (uint256 titleId);

    /// @notice Everything about one title.
    /// @param titleId The title.
    /// @return The record.
    function title(uint256 titleId) external view returns (TitleView memory);

    /// @notice The registering agency and status of a title (cheap form of {title}).
    /// @param titleId The title.
    /// @return agencyId The registering agency.
    /// @return status The status.
    function titleAgency(uint256 titleId) external view returns (uint32 agencyId, TitleStatus status);

    /// @notice The owners of an active title; the first one holds the token.
    /// @param titleId The title.
    /// @return owners The owners.
    /// @return revision The title's revision.
    function ownersOf(uint256 titleId) external view returns (Owner[] memory owners, uint32 revision);

    /// @notice Where `account` stands among the owners of an active title.
    /// @param titleId The title.
    /// @param account The account.
    /// @return index Its index (reverts with {OwnerRequired} when it is not an owner).
    /// @return ownerCount How many owners the title has.
    /// @return revision The title's revision.
    function ownerIndexOf(
        uint256 titleId,
        address account
    ) external view returns (uint256 index, uint8 ownerCount, uint32 revision);

    /// @notice The open (possibly expired or stale) sale proposal of a title; `id` 0 when none.
    /// @param titleId The title.
    /// @return The proposal.
    function proposal(uint256 titleId) external view returns (ProposalView memory);

    /// @notice The jurisdiction this registry registers in (the first half of every title id).
    /// @return The jurisdiction path, as in the agency directory.
    function jurisdiction() external view returns (string memory);

    /// @notice The certificate type issued for titles of an agency (0 when not set).
    /// @param agencyId The agency.
    /// @return The type id.
    function certificateType(uint32 agencyId) external view returns (uint32);

    /// @notice The companion contracts.
    /// @return lienRegistry The lien registry.
    /// @return restrictionRegistry The restriction registry.
    /// @return parcelLineage The parcel lineage.
    function companions()
        external
        view
        returns (address lienRegistry, address restrictionRegistry, address parcelLineage);

    /// @notice The title id of a parcel: `uint256(keccak256(abi.encode(jurisdiction, parcelNumber)))`.
    /// @param jurisdiction_ The jurisdiction path.
    /// @param parcelNumber The parcel number.
    /// @return The title id.
    function titleIdOf(string calldata jurisdiction_, string calldata parcelNumber) external pure returns (uint256);

    /// @notice The digest of an owner list used by pre-registrations: `keccak256(abi.encode(accounts, shares))`;
    /// identity commitments are not part of it.
    /// @param owners The owners.
    /// @return The digest.
    function ownersDigest(Owner[] calldata owners) external pure returns (bytes32);
}

// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

/// @title ITitleRegistryTypes
/// @notice The types, events and errors of the title registry, shared by its implementation contracts and by the
/// companion registries (lien, restriction, lineage) that use its owner lists.
interface ITitleRegistryTypes {
    /// @notice What kind of unit a title registers.
    enum UnitKind {
        None,
        LandParcel,
        Building,
        Apartment
    }

    /// @notice Lifecycle of a title. `Retired` is final: the parcel was subdivided or merged into new titles.
    enum TitleStatus {
        None,
        Active,
        Retired
    }

    /// @notice Why an ownership was registered.
    enum RegistrationBasis {
        FirstRegistration,
        Sale,
        Inheritance,
        CourtOrder,
        Subdivision,
        Merger
    }

    /// @notice One co-owner: an account, its share in basis points, and an optional salted identity commitment
    /// (0 for none). The person behind the account stays off chain.
    struct Owner {
        address account;
        uint16 shares;
        bytes32 identityCommitment;
    }

    /// @notice The physical and documentary facts of a unit.
    /// @param kind Land parcel, building or apartment.
    /// @param landUse Land-use code of the jurisdiction's classification (for example GB/T 21010 "0701" as 701).
    /// @param area Area in hundredths of a square metre.
    /// @param documentsHash Hash of the deed and survey documents.
    struct ParcelData {
        UnitKind kind;
        uint16 landUse;
        uint48 area;
        bytes32 documentsHash;
    }

    /// @notice An electronic real-estate certificate to issue when a registration completes.
    /// @param certificateId Merkle root of the salted certificate document, computed off chain.
    /// @param holderCommitment Salted commitment to the holder's identity.
    struct Certificate {
        bytes32 certificateId;
        bytes32 holderCommitment;
    }

    /// @notice Everything about one title, as returned by {title}.
    struct TitleView {
        uint32 agencyId;
        UnitKind kind;
        TitleStatus status;
        uint16 landUse;
        uint48 area;
        bytes32 documentsHash;
        uint40 registeredAt;
        uint32 revision;
        uint8 activeLiens;
        uint16 lienCount;
        bool mayBeRestricted;
        Owner[] owners;
    }

    /// @notice The open sale proposal of a title, as returned by {proposal}.
    /// @dev `sellerConsents` has bit i set when current owner i consented; `buyerAcceptances` bit j when buyer j
    /// accepted. `revision` is the title revision the proposal was made against.
    struct ProposalView {
        uint64 id;
        uint40 expiresAt;
        uint32 revision;
        uint32 sellerConsents;
        uint32 buyerAcceptances;
        bytes32 saleContractHash;
        Owner[] buyers;
        bytes32[] discharges;
    }

    /// @notice Real-estate certificates were issued for the current owners outside a change of ownership.
    event CertificatesIssued(uint256 indexed titleId, address indexed registrar, bytes32[] certificateIds);
    /// @notice A unit was registered for the first time, or as the child of a subdivision or merger.
    event TitleRegistered(
        uint256 indexed titleId,
        uint32 indexed agencyId,
        string parcelNumber,
        UnitKind kind,
        uint16 landUse,
        uint48 area,
        bytes32 documentsHash
    );
    /// @notice The owners of a title were registered. Replaying these events in order gives the chain of ownership.
    /// @param revision The title's revision after the registration.
    /// @param basisHash Hash of the document the registration rests on: contract of sale, will or certificate of
    /// inheritance, court judgment, survey for subdivisions and mergers, deed for first registration.
    /// @param certificateIds The real-estate certificates issued for the new owners.
    event OwnershipRegistered(
        uint256 indexed titleId,
        RegistrationBasis indexed basis,
        address indexed registrar,
        uint32 revision,
        Owner[] owners,
        bytes32 basisHash,
        bytes32[] certificateIds
    );
    /// @notice An owner proposed to sell a title to `buyers`.
    event TransferProposed(
        uint256 indexed titleId,
        uint64 indexed proposalId,
        address indexed proposer,
        Owner[] buyers,
        bytes32 saleContractHash,
        bytes32[] discharges,
        uint40 expiresAt
    );
    /// @notice A seller or buyer accepted a sale proposal.
    event TransferAccepted(uint256 indexed titleId, uint64 indexed proposalId, address indexed account);
    /// @notice A seller or buyer withdrew a sale proposal before the registrar approved it. (An approval shows as
    /// {OwnershipRegistered} with basis `Sale` and the proposal's sale contract hash; it has no event of its own, to
    /// keep the approval within its gas budget.)
    event TransferCancelled(uint256 indexed titleId, uint64 indexed proposalId, address indexed account);
    /// @notice The registrar corrected a record; the previous values stay in this event.
    event TitleCorrected(uint256 indexed titleId, ParcelData previous, ParcelData corrected, bytes32 basisHash);
    /// @notice A title was retired by a subdivision or merger; its token is burnt, its record kept.
    event TitleRetired(uint256 indexed titleId);
    /// @notice The restriction registry marked a title as possibly restricted, or found it free again.
    event RestrictionHintChanged(uint256 indexed titleId, bool mayBeRestricted);
    /// @notice The certificate type issued for titles of an agency was set.
    event CertificateTypeSet(uint32 indexed agencyId, uint32 typeId);
    /// @notice Governance set the companion contracts.
    event CompanionsSet(address lienRegistry, address restrictionRegistry, address parcelLineage);
    /// @notice Governance set the base of token URIs.
    event BaseURISet(string baseURI);

    /// @notice No title has this id.
    error TitleUnknown(uint256 titleId);
    /// @notice The title must be active for this, and is not.
    error TitleNotActive(uint256 titleId, TitleStatus status);
    /// @notice A title with this id (jurisdiction and parcel number) already exists.
    error TitleAlreadyRegistered(uint256 titleId);
    /// @notice Titles move only by registration: plain ERC-721 transfers are refused.
    error TitleTransferRequiresRegistration(uint256 titleId);
    /// @notice Titles cannot be approved to operators: there is nothing an operator could move.
    error TitleApprovalNotSupported();
    /// @notice The account may not act as registrar for the agency.
    error TitleRegistrarRequired(uint32 agencyId, address account);
    /// @notice Only governance may do this.
    error TitleGovernorRequired(address account);
    /// @notice Only the named companion contract may call this hook.
    error TitleCompanionRequired(address account);
    /// @notice The zero address was given where a contract is required.
    error TitleZeroAddress();
    /// @notice The revision a consent was given against is not the title's revision any more.
    error TitleRevisionChanged(uint256 titleId, uint32 expected, uint32 current);
    /// @notice A parcel number must be 1 to {MAX_PARCEL_NUMBER_BYTES} bytes.
    error ParcelNumberInvalid(string parcelNumber);
    /// @notice Parcel data needs a kind and a non-zero area.
    error ParcelDataInvalid(UnitKind kind, uint48 area);
    /// @notice 1 to {MAX_OWNERS} owners.
    error OwnerCountInvalid(uint256 count);
    /// @notice An owner account must be non-zero and listed once.
    error OwnerAccountInvalid(address account);
    /// @notice Every owner needs a non-zero share.
    error OwnerShareZero(address account);
    /// @notice Shares must sum to {BASIS_POINTS}.
    error OwnerSharesSumInvalid(uint256 sum);
    /// @notice The account is not an owner of the title.
    error OwnerRequired(uint256 titleId, address account);
    /// @notice The title has no open sale proposal with this id.
    error ProposalUnknown(uint256 titleId, uint64 proposalId);
    /// @notice The title already has an open proposal that has not expired.
    error ProposalPending(uint256 titleId, uint64 proposalId, uint40 expiresAt);
    /// @notice The proposal expired.
    error ProposalExpired(uint256 titleId, uint64 proposalId, uint40 expiresAt);
    /// @notice The title changed (ownership, lien, correction) after the proposal was made.
    error ProposalStale(uint256 titleId, uint64 proposalId, uint32 proposalRevision, uint32 titleRevision);
    /// @notice An expiry must be in the future and at most {MAX_PROPOSAL_LIFETIME} away.
    error ProposalExpiryInvalid(uint40 expiresAt);
    /// @notice The account is neither an owner nor a buyer in the proposal.
    error ProposalPartyRequired(uint256 titleId, uint64 proposalId, address account);
    /// @notice Not every seller consented or not every buyer accepted.
    error ProposalNotAccepted(uint256 titleId, uint64 proposalId, uint32 sellerConsents, uint32 buyerAcceptances);
    /// @notice A transfer may name at most {MAX_DISCHARGES} liens to discharge.
    error ProposalDischargesTooMany(uint256 count);
    /// @notice A registrar transfer must rest on an inheritance or a court order.
    error RegistrationBasisInvalid(RegistrationBasis basis);
    /// @notice The title carries active liens that the transfer does not discharge (or a subdivision/merger).
    error TitleEncumbered(uint256 titleId, uint8 activeLiens);
    /// @notice The title has {MAX_ACTIVE_LIENS} active liens.
    error TitleLienLimitReached(uint256 titleId);
    /// @notice The registering agency has not set the certificate type to issue.
    error CertificateTypeNotSet(uint32 agencyId);
    /// @notice A registration issues one certificate per new owner, or one for all of them.
    error CertificateCountInvalid(uint256 count, uint256 ownerCount);
}

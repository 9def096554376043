// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {ERC721Upgradeable} from "@openzeppelin/contracts-upgradeable/token/ERC721/ERC721Upgradeable.sol";
import {Initializable} from "@openzeppelin/contracts-upgradeable/proxy/utils/Initializable.sol";
import {IERC165} from "@openzeppelin/contracts/interfaces/IERC165.sol";
import {IERC4906} from "@openzeppelin/contracts/interfaces/IERC4906.sol";
import {IERC721} from "@openzeppelin/contracts/interfaces/IERC721.sol";
import {ShortString, ShortStrings} from "@openzeppelin/contracts/utils/ShortStrings.sol";

import {Capabilities} from "../common/Capabilities.sol";
import {IAgencyDirectory} from "../interfaces/IAgencyDirectory.sol";
import {ICertificateRegistry} from "../interfaces/ICertificateRegistry.sol";
import {ILienRegistry} from "../interfaces/ILienRegistry.sol";
import {IRestrictionRegistry} from "../interfaces/IRestrictionRegistry.sol";
import {ITitleRegistryTypes} from "../interfaces/ITitleRegistryTypes.sol";
import {TitleOwners} from "../libraries/TitleOwners.sol";

/// @title TitleRegistryBase
/// @notice What the title registry's two implementation contracts share: the namespaced storage, the immutables,
/// the ERC-721 rules (titles move only by registration) and the internal steps of a registration.
/// @dev {TitleRegistry} (the proxy's implementation: hot paths) and {TitleRegistryExtension} (reached by delegatecall
/// from its fallback: everything else) both inherit this, so both read and write the same ERC-7201 namespaces. Their
/// immutables must agree; {TitleRegistry}'s constructor checks that they do.
abstract contract TitleRegistryBase is ITitleRegistryTypes, Initializable, ERC721Upgradeable, IERC4906 {
    using ShortStrings for ShortString;

    /// @dev Hot record of a title. Slot 0 (30 bytes): agencyId 4 | kind 1 | status 1 | ownerCount 1 | flags 1 |
    /// activeLiens 1 | lienCount 2 | holderShares 2 | landUse 2 | area 6 | registeredAt 5 | revision 4.
    /// Slot 1: documentsHash.
    struct TitleRecord {
        uint32 agencyId;
        UnitKind kind;
        TitleStatus status;
        uint8 ownerCount;
        uint8 flags;
        uint8 activeLiens;
        uint16 lienCount;
        uint16 holderShares;
        uint16 landUse;
        uint48 area;
        uint40 registeredAt;
        uint32 revision;
        bytes32 documentsHash;
    }

    /// @dev A co-owner (index >= 1) or a buyer. One slot: account 20 | shares 2 | hasCommitment 1.
    struct OwnerSlot {
        address account;
        uint16 shares;
        bool hasCommitment;
    }

    /// @dev The open sale proposal of a title. Slot 0 (27 bytes): id 8 | expiresAt 5 | revision 4 |
    /// sellerConsents 4 | buyerAcceptances 4 | buyerCount 1 | dischargeCount 1. Slot 1: saleContractHash.
    struct Proposal {
        uint64 id;
        uint40 expiresAt;
        uint32 revision;
        uint32 sellerConsents;
        uint32 buyerAcceptances;
        uint8 buyerCount;
        uint8 dischargeCount;
        bytes32 saleContractHash;
    }

    /// @custom:storage-location erc7201:govchain.storage.TitleRegistry
    struct TitleRegistryStorage {
        // Slot 0: lienRegistry 20 | proposalCount 8.
        address lienRegistry;
        uint64 proposalCount;
        address restrictionRegistry;
        address parcelLineage;
        string baseURI;
        mapping(uint256 titleId => TitleRecord) titles;
        // Owners after the first (the token holder), by index 1..ownerCount-1.
        mapping(uint256 titleId => mapping(uint256 index => OwnerSlot)) coOwners;
        // Identity commitments of owners, written only when non-zero (flagged in the owner's slot or record).
        mapping(uint256 titleId => mapping(uint256 index => bytes32)) commitments;
        mapping(uint256 titleId => Proposal) proposals;
        mapping(uint256 titleId => mapping(uint256 index => OwnerSlot)) buyers;
        mapping(uint256 titleId => mapping(uint256 index => bytes32)) buyerCommitments;
        mapping(uint256 titleId => mapping(uint256 index => bytes32)) discharges;
        mapping(uint32 agencyId => uint32 typeId) certificateTypes;
    }

    // keccak256(abi.encode(uint256(keccak256("govchain.storage.TitleRegistry")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 internal constant STORAGE_LOCATION = 0x19cef7669c4783d206e79bc54fb1f9910e5dd325771c272cc9aa41979bc16300;

    /// @notice Implementation version (semver); the core and its extension always ship together.
    string public constant VERSION = "1.0.0";
    /// @notice Shares are basis points of the whole title.
    uint16 public constant BASIS_POINTS = 10_000;
    /// @notice Most co-owners of one title (one bit each in consent bitmaps).
    uint256 public constant MAX_OWNERS = 32;
    /// @notice Most active liens on one title.
    uint8 public constant MAX_ACTIVE_LIENS = type(uint8).max;
    /// @notice Most liens one transfer may discharge.
    uint256 public constant MAX_DISCHARGES = 16;
    /// @notice Longest parcel number, in bytes.
    uint256 public constant MAX_PARCEL_NUMBER_BYTES = 64;
    /// @notice Longest time a sale proposal may stay open.
    uint40 public constant MAX_PROPOSAL_LIFETIME = 180 days;

    bytes4 internal constant ERC4906_INTERFACE_ID = 0x49064906;
    uint8 internal constant FLAG_RESTRICTED = 1;
    uint8 internal constant FLAG_HOLDER_COMMITMENT = 2;
    uint256 internal constant NOT_FOUND = type(uint256).max;

    /// @custom:oz-upgrades-unsafe-allow state-variable-immutable
    IAgencyDirectory internal immutable DIRECTORY;
    /// @custom:oz-upgrades-unsafe-allow state-variable-immutable
    ICertificateRegistry internal immutable CERTIFICATES;
    /// @custom:oz-upgrades-unsafe-allow state-variable-immutable
    ShortString internal immutable JURISDICTION;

    modifier onlyGovernor() {
        if (!DIRECTORY.isGovernor(msg.sender)) revert TitleGovernorRequired(msg.sender);
        _;
    }

    /// @param directory_ The agency directory (proxy).
    /// @param certificates_ The certificate registry (proxy).
    /// @param jurisdiction_ The jurisdiction path the registry serves (first half of every title id), at most 31
    /// bytes.
    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor(IAgencyDirectory directory_, ICertificateRegistry certificates_, string memory jurisdiction_) {
        if (address(directory_) == address(0) || address(certificates_) == address(0)) revert TitleZeroAddress();
        DIRECTORY = directory_;
        CERTIFICATES = certificates_;
        JURISDICTION = ShortStrings.toShortString(jurisdiction_);
        _disableInitializers();
    }

    // ---------------------------------------------------------------------------------------------------------------
    // ERC-721: registration, not transfer
    // ---------------------------------------------------------------------------------------------------------------

    /// @notice Refused: titles move only by registration ({proposeTransfer}, {registerTransfer}).
    /// @dev `safeTransferFrom` goes through here too.
    function transferFrom(address, address, uint256 tokenId) public pure override(ERC721Upgradeable, IERC721) {
        revert TitleTransferRequiresRegistration(tokenId);
    }

    /// @notice Refused: there is nothing an approved operator could do with a title.
    function approve(address, uint256) public pure override(ERC721Upgradeable, IERC721) {
        revert TitleApprovalNotSupported();
    }

    /// @notice Refused: there is nothing an approved operator could do with a title.
    function setApprovalForAll(address, bool) public pure override(ERC721Upgradeable, IERC721) {
        revert TitleApprovalNotSupported();
    }

    /// @notice Refused: titles move only by registration.
    function safeTransferFrom(
        address,
        address,
        uint256 tokenId,
        bytes memory
    ) public pure override(ERC721Upgradeable, IERC721) {
        revert TitleTransferRequiresRegistration(tokenId);
    }

    /// @notice See {IERC165-supportsInterface}; adds ERC-4906.
    function supportsInterface(bytes4 interfaceId) public view override(ERC721Upgradeable, IERC165) returns (bool) {
        return interfaceId == ERC4906_INTERFACE_ID || super.supportsInterface(interfaceId);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Internal
    // ---------------------------------------------------------------------------------------------------------------

    function _baseURI() internal view override returns (string memory) {
        return _storage().baseURI;
    }

    /// @dev Approvals can never be given ({approve} and {setApprovalForAll} revert), so there is nothing to clear
    /// when a title moves or retires; skipping the write saves a cold storage access per move.
    // Deliberately empty: there is never an approval to clear.
    // solhint-disable-next-line no-empty-blocks
    function _approve(address, uint256, address, bool) internal pure override {}

    /// @dev Writes a new title and mints its token to the first owner. Emits {TitleRegistered}; the caller emits
    /// {OwnershipRegistered} with the basis.
    function _createTitle(
        TitleRegistryStorage storage $,
        uint32 agencyId,
        string calldata parcelNumber,
        ParcelData calldata data,
        Owner[] memory owners
    ) internal returns (uint256 titleId) {
        uint256 length = bytes(parcelNumber).length;
        if (length == 0 || length > MAX_PARCEL_NUMBER_BYTES) revert ParcelNumberInvalid(parcelNumber);
        _requireValidData(data);
        _requireValidOwners(owners);
        titleId = _titleIdOf(JURISDICTION.toString(), parcelNumber);
        TitleRecord storage record = $.titles[titleId];
        if (record.status != TitleStatus.None) revert TitleAlreadyRegistered(titleId);
        bytes32 holderCommitment = owners[0].identityCommitment;
        record.agencyId = agencyId;
        record.kind = data.kind;
        record.status = TitleStatus.Active;
        record.ownerCount = uint8(owners.length);
        record.flags = holderCommitment == 0 ? 0 : FLAG_HOLDER_COMMITMENT;
        record.holderShares = owners[0].shares;
        record.landUse = data.landUse;
        record.area = data.area;
        record.registeredAt = uint40(block.timestamp);
        record.documentsHash = data.documentsHash;
        if (holderCommitment != 0) $.commitments[titleId][0] = holderCommitment;
        for (uint256 i = 1; i < owners.length; ++i) {
            _writeCoOwner($, titleId, i, owners[i]);
        }
        _mint(owners[0].account, titleId);
        emit TitleRegistered(titleId, agencyId, parcelNumber, data.kind, data.landUse, data.area, data.documentsHash);
    }

    /// @dev The common end of every change of owners: restrictions, liens, owners, token, certificates.
    function _transferOwnership(
        TitleRegistryStorage storage $,
        uint256 titleId,
        TitleRecord storage record,
        Owner[] memory newOwners,
        RegistrationBasis basis,
        bytes32 basisHash,
        Certificate[] calldata certificates
    ) internal {
        if (record.flags & FLAG_RESTRICTED != 0) {
            IRestrictionRegistry($.restrictionRegistry).beforeTransfer(titleId, TitleOwners.digest(newOwners));
            record.flags &= ~FLAG_RESTRICTED;
            emit RestrictionHintChanged(titleId, false);
        }
        if (record.activeLiens != 0) revert TitleEncumbered(titleId, record.activeLiens);
        bytes32[] memory certificateIds = _certificateIds(certificates, newOwners.length, true);
        _replaceOwners($, titleId, record, newOwners);
        emit OwnershipRegistered(titleId, basis, msg.sender, record.revision, newOwners, basisHash, certificateIds);
        emit MetadataUpdate(titleId);
        _issue($, record.agencyId, certificates);
    }

    /// @dev Writes the new owner list over the old one (commitments included), moves the token to the new first
    /// owner, and bumps the revision.
    function _replaceOwners(
        TitleRegistryStorage storage $,
        uint256 titleId,
        TitleRecord storage record,
        Owner[] memory newOwners
    ) internal {
        uint256 oldCount = record.ownerCount;
        uint256 newCount = newOwners.length;
        bytes32 holderCommitment = newOwners[0].identityCommitment;
        bool hadHolderCommitment = record.flags & FLAG_HOLDER_COMMITMENT != 0;
        if (holderCommitment != 0) {
            $.commitments[titleId][0] = holderCommitment;
        } else if (hadHolderCommitment) {
            delete $.commitments[titleId][0];
        }
        if ((holderCommitment != 0) != hadHolderCommitment) record.flags ^= FLAG_HOLDER_COMMITMENT;
        for (uint256 i = 1; i < newCount; ++i) {
            if (i < oldCount && $.coOwners[titleId][i].hasCommitment && newOwners[i].identityCommitment == 0) {
                delete $.commitments[titleId][i];
            }
            _writeCoOwner($, titleId, i, newOwners[i]);
        }
        for (uint256 i = newCount < 1 ? 1 : newCount; i < oldCount; ++i) {
            if ($.coOwners[titleId][i].hasCommitment) delete $.commitments[titleId][i];
            delete $.coOwners[titleId][i];
        }
        record.ownerCount = uint8(newCount);
        record.holderShares = newOwners[0].shares;
        record.registeredAt = uint40(block.timestamp);
        ++record.revision;
        address holder = newOwners[0].account;
        if (_ownerOf(titleId) != holder) _update(holder, titleId, address(0));
    }

    function _writeCoOwner(
        TitleRegistryStorage storage $,
        uint256 titleId,
        uint256 index,
        Owner memory owner
    ) internal {
        bytes32 commitment = owner.identityCommitment;
        $.coOwners[titleId][index] = OwnerSlot(owner.account, owner.shares, commitment != 0);
        if (commitment != 0) $.commitments[titleId][index] = commitment;
    }

    /// @dev Asks the restriction registry (reverts when restricted); clears the hint when nothing is left.
    function _checkRestrictions(TitleRegistryStorage storage $, uint256 titleId, TitleRecord storage record) internal {
        IRestrictionRegistry($.restrictionRegistry).checkDisposal(titleId);
        record.flags &= ~FLAG_RESTRICTED;
        emit RestrictionHintChanged(titleId, false);
    }

    function _owners(
        TitleRegistryStorage storage $,
        uint256 titleId,
        TitleRecord storage record
    ) internal view returns (Owner[] memory owners) {
        uint256 count = record.ownerCount;
        owners = new Owner[](count);
        owners[0] = Owner(
            _ownerOf(titleId),
            record.holderShares,
            record.flags & FLAG_HOLDER_COMMITMENT != 0 ? $.commitments[titleId][0] : bytes32(0)
        );
        for (uint256 i = 1; i < count; ++i) {
            OwnerSlot storage slot = $.coOwners[titleId][i];
            owners[i] = Owner(slot.account, slot.shares, slot.hasCommitment ? $.commitments[titleId][i] : bytes32(0));
        }
    }

    /// @dev Index of `account` among the title's owners, or NOT_FOUND.
    function _ownerIndex(
        TitleRegistryStorage storage $,
        uint256 titleId,
        uint256 ownerCount,
        address account
    ) internal view returns (uint256) {
        if (_ownerOf(titleId) == account) return 0;
        for (uint256 i = 1; i < ownerCount; ++i) {
            if ($.coOwners[titleId][i].account == account) return i;
        }
        return NOT_FOUND;
    }

    function _buyerIndex(
        TitleRegistryStorage storage $,
        uint256 titleId,
        uint256 buyerCount,
        address account
    ) internal view returns (uint256) {
        for (uint256 i = 0; i < buyerCount; ++i) {
            if ($.buyers[titleId][i].account == account) return i;
        }
        return NOT_FOUND;
    }

    function _liveProposal(
        TitleRegistryStorage storage $,
        uint256 titleId,
        TitleRecord storage record,
        uint64 proposalId
    ) internal view returns (Proposal storage open) {
        open = $.proposals[titleId];
        if (proposalId == 0 || open.id != proposalId) revert ProposalUnknown(titleId, proposalId);
        if (block.timestamp >= open.expiresAt) revert ProposalExpired(titleId, proposalId, open.expiresAt);
        if (open.revision != record.revision) revert ProposalStale(titleId, proposalId, open.revision, record.revision);
    }

    function _existingTitle(
        TitleRegistryStorage storage $,
        uint256 titleId
    ) internal view returns (TitleRecord storage record) {
        record = $.titles[titleId];
        if (record.status == TitleStatus.None) revert TitleUnknown(titleId);
    }

    function _activeTitle(
        TitleRegistryStorage storage $,
        uint256 titleId
    ) internal view returns (TitleRecord storage record) {
        record = _existingTitle($, titleId);
        if (record.status != TitleStatus.Active) revert TitleNotActive(titleId, record.status);
    }

    /// @dev Registrar of the agency that registered the record, or of its successor.
    function _requireRegistrar(uint32 agencyId) internal view {
        if (!DIRECTORY.canActForRecordsOf(msg.sender, agencyId, Capabilities.REGISTER_TITLES)) {
            revert TitleRegistrarRequired(agencyId, msg.sender);
        }
    }

    function _requireValidData(ParcelData calldata data) internal pure {
        if (data.kind == UnitKind.None || data.area == 0) revert ParcelDataInvalid(data.kind, data.area);
    }

    function _requireValidOwners(Owner[] memory owners) internal pure {
        uint256 count = owners.length;
        if (count == 0 || count > MAX_OWNERS) revert OwnerCountInvalid(count);
        uint256 sum = 0;
        for (uint256 i = 0; i < count; ++i) {
            address account = owners[i].account;
            if (account == address(0)) revert OwnerAccountInvalid(account);
            for (uint256 j = 0; j < i; ++j) {
                if (owners[j].account == account) revert OwnerAccountInvalid(account);
            }
            if (owners[i].shares == 0) revert OwnerShareZero(account);
            sum += owners[i].shares;
        }
        if (sum != BASIS_POINTS) revert OwnerSharesSumInvalid(sum);
    }

    function _titleIdOf(string memory jurisdiction_, string calldata parcelNumber) internal pure returns (uint256) {
        return uint256(keccak256(abi.encode(jurisdiction_, parcelNumber)));
    }

    function _allBits(uint256 count) internal pure returns (uint32) {
        return uint32((uint256(1) << count) - 1);
    }

    /// @dev Has the lien registry discharge the liens a transfer names, and counts them off.
    function _discharge(
        TitleRegistryStorage storage $,
        uint256 titleId,
        TitleRecord storage record,
        bytes32[] memory loanContractHashes
    ) internal {
        uint8 discharged = ILienRegistry($.lienRegistry).dischargeForTransfer(titleId, loanContractHashes);
        record.activeLiens -= discharged;
    }

    /// @dev Ids for the event; `required` registrations need 1 certificate per owner or 1 for all.
    function _certificateIds(
        Certificate[] calldata certificates,
        uint256 ownerCount,
        bool required
    ) internal pure returns (bytes32[] memory ids) {
        uint256 count = certificates.length;
        if ((required && count == 0) || (count > 1 && count != ownerCount)) {
            revert CertificateCountInvalid(count, ownerCount);
        }
        ids = new bytes32[](count);
        for (uint256 i = 0; i < count; ++i) {
            ids[i] = certificates[i].certificateId;
        }
    }

    /// @dev Asks the certificate registry, as an operator of the registering agency, to issue each certificate.
    function _issue(TitleRegistryStorage storage $, uint32 agencyId, Certificate[] calldata certificates) internal {
        uint256 count = certificates.length;
        if (count == 0) return;
        uint32 typeId = $.certificateTypes[agencyId];
        if (typeId == 0) revert CertificateTypeNotSet(agencyId);
        for (uint256 i = 0; i < count; ++i) {
            CERTIFICATES.issue(certificates[i].certificateId, typeId, certificates[i].holderCommitment, 0, 0);
        }
    }

    function _storage() internal pure returns (TitleRegistryStorage storage $) {
        // solhint-disable-next-line no-inline-assembly
        assembly {
            $.slot := STORAGE_LOCATION
        }
    }
}

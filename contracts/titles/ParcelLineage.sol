// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {Initializable} from "@openzeppelin/contracts-upgradeable/proxy/utils/Initializable.sol";
import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";

import {Capabilities} from "../common/Capabilities.sol";
import {IAgencyDirectory} from "../interfaces/IAgencyDirectory.sol";
import {IParcelLineage} from "../interfaces/IParcelLineage.sol";
import {ITitleRegistry} from "../interfaces/ITitleRegistry.sol";
import {ITitleRegistryTypes} from "../interfaces/ITitleRegistryTypes.sol";
import {TitleOwners} from "../libraries/TitleOwners.sol";

/// @title ParcelLineage
/// @notice Subdivisions and mergers, and the lineage of every parcel. See {IParcelLineage}.
/// @dev The title registry enforces what blocks a restructuring (liens, restrictions) when this contract asks it to
/// {ITitleRegistry-retire} a parent, and registers the children through {ITitleRegistry-registerDerived}; this
/// contract authorises the registrar, checks the parcels fit together, and keeps the family tree.
/// UUPS; only governance (directory) upgrades. No initializer: there is nothing to set beyond the immutables.
contract ParcelLineage is IParcelLineage, Initializable, UUPSUpgradeable {
    /// @custom:storage-location erc7201:govchain.storage.ParcelLineage
    struct ParcelLineageStorage {
        mapping(uint256 titleId => uint256[]) parents;
        mapping(uint256 titleId => uint256[]) children;
    }

    // keccak256(abi.encode(uint256(keccak256("govchain.storage.ParcelLineage")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant STORAGE_LOCATION = 0xe6834d187f9276aa3a667daed59b26fe904c6a5ebcb7748aea8aa4f0e906eb00;

    /// @notice Implementation version (semver).
    string public constant VERSION = "1.0.0";

    /// @custom:oz-upgrades-unsafe-allow state-variable-immutable
    IAgencyDirectory private immutable DIRECTORY;
    /// @custom:oz-upgrades-unsafe-allow state-variable-immutable
    ITitleRegistry private immutable TITLES;

    /// @param directory_ The agency directory (proxy).
    /// @param titles_ The title registry (proxy).
    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor(IAgencyDirectory directory_, ITitleRegistry titles_) {
        DIRECTORY = directory_;
        TITLES = titles_;
        _disableInitializers();
    }

    /// @inheritdoc IParcelLineage
    function subdivide(
        uint256 parentId,
        NewParcel[] calldata children,
        bytes32 basisHash
    ) external returns (uint256[] memory childIds) {
        _requireRegistrarOf(parentId);
        if (children.length < 2) revert LineageCountInvalid(children.length);
        (uint32 agencyId, ITitleRegistryTypes.Owner[] memory owners) = TITLES.retire(parentId);
        ParcelLineageStorage storage $ = _storage();
        childIds = new uint256[](children.length);
        for (uint256 i = 0; i < children.length; ++i) {
            uint256 childId = TITLES.registerDerived(
                agencyId,
                msg.sender,
                children[i].parcelNumber,
                children[i].data,
                owners,
                ITitleRegistryTypes.RegistrationBasis.Subdivision,
                basisHash
            );
            childIds[i] = childId;
            $.parents[childId].push(parentId);
            $.children[parentId].push(childId);
        }
        emit TitleSubdivided(parentId, childIds, basisHash);
    }

    /// @inheritdoc IParcelLineage
    function merge(
        uint256[] calldata parentIds,
        NewParcel calldata child,
        bytes32 basisHash
    ) external returns (uint256 childId) {
        uint256 count = parentIds.length;
        if (count < 2) revert LineageCountInvalid(count);
        uint32 firstAgencyId = _requireRegistrarOf(parentIds[0]);
        for (uint256 i = 1; i < count; ++i) {
            for (uint256 j = 0; j < i; ++j) {
                if (parentIds[j] == parentIds[i]) revert LineageParentRepeated(parentIds[i]);
            }
            (uint32 agencyId, ) = TITLES.titleAgency(parentIds[i]);
            if (agencyId != firstAgencyId) revert LineageParentsDiffer(parentIds[0], parentIds[i]);
        }
        (uint32 keeperId, ITitleRegistryTypes.Owner[] memory owners) = TITLES.retire(parentIds[0]);
        bytes32 digest = TitleOwners.digest(owners);
        for (uint256 i = 1; i < count; ++i) {
            (, ITitleRegistryTypes.Owner[] memory others) = TITLES.retire(parentIds[i]);
            if (TitleOwners.digest(others) != digest) revert LineageParentsDiffer(parentIds[0], parentIds[i]);
        }
        childId = TITLES.registerDerived(
            keeperId,
            msg.sender,
            child.parcelNumber,
            child.data,
            owners,
            ITitleRegistryTypes.RegistrationBasis.Merger,
            basisHash
        );
        ParcelLineageStorage storage $ = _storage();
        for (uint256 i = 0; i < count; ++i) {
            $.parents[childId].push(parentIds[i]);
            $.children[parentIds[i]].push(childId);
        }
        emit TitlesMerged(childId, parentIds, basisHash);
    }

    /// @inheritdoc IParcelLineage
    function parentsOf(uint256 titleId) external view returns (uint256[] memory) {
        return _storage().parents[titleId];
    }

    /// @inheritdoc IParcelLineage
    function childrenOf(uint256 titleId) external view returns (uint256[] memory) {
        return _storage().children[titleId];
    }

    /// @notice The title registry whose parcels this contract restructures.
    /// @return The title registry.
    function titleRegistry() external view returns (ITitleRegistry) {
        return TITLES;
    }

    /// @dev Only governance upgrades the contract.
    function _authorizeUpgrade(address) internal view override {
        if (!DIRECTORY.isGovernor(msg.sender)) revert LineageGovernorRequired(msg.sender);
    }

    /// @dev The caller must be a registrar of the agency that manages the title's records. Returns that agency.
    function _requireRegistrarOf(uint256 titleId) private view returns (uint32 agencyId) {
        ITitleRegistryTypes.TitleStatus status;
        (agencyId, status) = TITLES.titleAgency(titleId);
        if (status != ITitleRegistryTypes.TitleStatus.Active) {
            revert ITitleRegistryTypes.TitleNotActive(titleId, status);
        }
        if (!DIRECTORY.canActForRecordsOf(msg.sender, agencyId, Capabilities.REGISTER_TITLES)) {
            revert LineageRegistrarRequired(agencyId, msg.sender);
        }
    }

    function _storage() private pure returns (ParcelLineageStorage storage $) {
        // solhint-disable-next-line no-inline-assembly
        assembly {
            $.slot := STORAGE_LOCATION
        }
    }
}

// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {ITitleRegistryTypes} from "./ITitleRegistryTypes.sol";

/// @title IParcelLineage
/// @notice Subdivisions and mergers of parcels, and the lineage they leave: a parcel splits into new parcels or
/// several merge into one; the parents retire and the children record where they came from.
/// @dev Liens and restrictions (freeze, pre-registration, objection) on a parent block both; the title registry
/// enforces that when it retires the parent.
interface IParcelLineage {
    /// @notice A parcel to be registered by a subdivision or merger.
    struct NewParcel {
        string parcelNumber;
        ITitleRegistryTypes.ParcelData data;
    }

    /// @notice A parcel was split into `childIds`; the parent retired.
    event TitleSubdivided(uint256 indexed parentId, uint256[] childIds, bytes32 basisHash);
    /// @notice Parcels were merged into `childId`; the parents retired.
    event TitlesMerged(uint256 indexed childId, uint256[] parentIds, bytes32 basisHash);

    /// @notice The account may not act as registrar for the agency.
    error LineageRegistrarRequired(uint32 agencyId, address account);
    /// @notice Only governance may do this.
    error LineageGovernorRequired(address account);
    /// @notice Subdivisions need at least two children, mergers at least two distinct parents.
    error LineageCountInvalid(uint256 count);
    /// @notice A parent is listed twice.
    error LineageParentRepeated(uint256 parentId);
    /// @notice Merged parcels must be registered by the same agency to the same owners with the same shares.
    error LineageParentsDiffer(uint256 parentId, uint256 otherParentId);

    /// @notice Splits a parcel into new parcels with the same owners; the parent retires. A registrar of the
    /// parent's agency.
    /// @param parentId The parcel to split.
    /// @param children The new parcels (at least two).
    /// @param basisHash Hash of the survey and decision.
    /// @return childIds The new titles' ids.
    function subdivide(
        uint256 parentId,
        NewParcel[] calldata children,
        bytes32 basisHash
    ) external returns (uint256[] memory childIds);

    /// @notice Merges parcels of the same owners and registering agency into one; the parents retire. A registrar of
    /// their agency.
    /// @param parentIds The parcels (at least two, distinct).
    /// @param child The new parcel.
    /// @param basisHash Hash of the survey and decision.
    /// @return childId The new title's id.
    function merge(
        uint256[] calldata parentIds,
        NewParcel calldata child,
        bytes32 basisHash
    ) external returns (uint256 childId);

    /// @notice The titles a title was split or merged from.
    /// @param titleId The title.
    /// @return The parents' ids.
    function parentsOf(uint256 titleId) external view returns (uint256[] memory);

    /// @notice The titles a retired title was split or merged into.
    /// @param titleId The title.
    /// @return The children's ids.
    function childrenOf(uint256 titleId) external view returns (uint256[] memory);
}

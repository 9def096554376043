// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {IAgencyDirectory} from "../interfaces/IAgencyDirectory.sol";
import {IDataSharingRegistry} from "../interfaces/IDataSharingRegistry.sol";
import {Capabilities} from "../common/Capabilities.sol";

/// @title DatasetCatalogue
/// @notice The catalogue half of the data-sharing registry: dataset entries, their purposes, and the registry's
/// mirror of agency standing. {DataSharingRegistry} adds permissions and receipts on top.
/// @dev Holds the registry's whole ERC-7201 namespace so that both halves share one storage struct; it is never
/// deployed on its own.
abstract contract DatasetCatalogue is IDataSharingRegistry {
    /// @dev The part of a catalogue entry that {checkAccess} reads, in one slot (20 bytes): ownerAgencyId 4 |
    /// version 4 | purposeSet 4 | sensitivity 1 | sharing 1 | withdrawn 1 | updatedAt 5.
    struct Dataset {
        uint32 ownerAgencyId;
        uint32 version;
        // Generation of the purpose list: bumped only when an update drops a purpose, so a permission made under
        // the current generation needs no second read to know its purpose is still listed.
        uint32 purposeSet;
        Sensitivity sensitivity;
        SharingCategory sharing;
        bool withdrawn;
        uint40 updatedAt;
    }

    /// @dev The rest of a catalogue entry, for views only: schemaHash (1 slot), title, purpose list.
    struct DatasetDetails {
        bytes32 schemaHash;
        string title;
        bytes32[] purposes;
    }

    /// @dev A consent or an approval, stored under its access key. One slot (19 bytes): id 8 | expiresAt 5 |
    /// state 1 | singleUse 1 | purposeSet 4.
    struct Grant {
        uint64 id;
        uint40 expiresAt;
        GrantState state;
        bool singleUse;
        uint32 purposeSet;
    }

    /// @dev An inter-agency access request. Slot 0 (19 bytes): requesterAgencyId 4 | datasetId 4 | status 1 |
    /// filedAt 5 | expiresAt 5. Slot 1: purpose. The legal basis hash is only in the event.
    struct Request {
        uint32 requesterAgencyId;
        uint32 datasetId;
        RequestStatus status;
        uint40 filedAt;
        uint40 expiresAt;
        bytes32 purpose;
    }

    /// @custom:storage-location erc7201:govchain.storage.DataSharingRegistry
    struct DataSharingRegistryStorage {
        // Slot 0: directory 20 | datasetCount 4 | lastGrantId 8.
        IAgencyDirectory directory;
        uint32 datasetCount;
        // Consents and requests share one id sequence, so a receipt's grant id names exactly one of them.
        uint64 lastGrantId;
        mapping(uint32 datasetId => Dataset) datasets;
        mapping(uint32 datasetId => DatasetDetails) datasetDetails;
        // The purpose generation in which a purpose was (last) listed; listed now iff equal to the dataset's.
        mapping(uint32 datasetId => mapping(bytes32 purpose => uint32 purposeSet)) purposeSets;
        mapping(bytes32 accessKey => Grant) grants;
        mapping(uint64 requestId => Request) requests;
        // Two bits per agency (bit 2·id: may request, bit 2·id+1: may serve), 128 agencies to a word, so that
        // {checkAccess} usually reads both parties' standing in one slot.
        mapping(uint256 word => uint256 bits) standing;
    }

    // keccak256(abi.encode(uint256(keccak256("govchain.storage.DataSharingRegistry")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant STORAGE_LOCATION = 0xf513ad6f6f70dc3cf12e2286d7918099b5c7f17f9673b544500a6eec64f89400;

    /// @notice Longest dataset title, in bytes of UTF-8.
    uint256 public constant MAX_TITLE_BYTES = 200;
    /// @notice Most purposes one dataset may list.
    uint256 public constant MAX_PURPOSES = 16;

    uint256 private constant STANDING_BITS = 2;
    uint256 private constant WORD_SHIFT = 8;
    uint256 private constant BIT_MASK = 0xff;
    uint256 internal constant MAY_REQUEST = 1;
    uint256 internal constant MAY_SERVE = 2;
    uint256 private constant STANDING_MASK = 3;

    // -------------------------------------------------------------------------------------------------------------
    // Catalogue
    // -------------------------------------------------------------------------------------------------------------

    /// @inheritdoc IDataSharingRegistry
    function publishDataset(uint32 ownerAgencyId, DatasetEntry calldata entry) external returns (uint32 datasetId) {
        DataSharingRegistryStorage storage $ = _storage();
        if (!$.directory.canAct(msg.sender, ownerAgencyId, Capabilities.PUBLISH_DATASETS)) {
            revert DatasetPublisherRequired(ownerAgencyId, msg.sender);
        }
        _requireValidEntry(entry);
        datasetId = ++$.datasetCount;
        Dataset storage record = $.datasets[datasetId];
        record.ownerAgencyId = ownerAgencyId;
        record.version = 1;
        record.purposeSet = 1;
        _writeEntry($, datasetId, record, entry);
        _syncAgency($, ownerAgencyId);
        emit DatasetPublished(
            datasetId,
            ownerAgencyId,
            entry.title,
            entry.schemaHash,
            entry.sensitivity,
            entry.sharing,
            entry.purposes
        );
    }

    /// @inheritdoc IDataSharingRegistry
    function updateDataset(uint32 datasetId, DatasetEntry calldata entry) external returns (uint32 version) {
        DataSharingRegistryStorage storage $ = _storage();
        Dataset storage record = _activeDataset($, datasetId);
        _requirePublisher($, record.ownerAgencyId);
        _requireValidEntry(entry);
        if (_isPersonal(record.sensitivity) != _isPersonal(entry.sensitivity)) {
            revert DatasetSensitivityChangeNotAllowed(datasetId, record.sensitivity, entry.sensitivity);
        }
        if (_dropsPurpose($.datasetDetails[datasetId].purposes, entry.purposes)) record.purposeSet += 1;
        version = ++record.version;
        _writeEntry($, datasetId, record, entry);
        emit DatasetUpdated(
            datasetId,
            version,
            entry.title,
            entry.schemaHash,
            entry.sensitivity,
            entry.sharing,
            entry.purposes
        );
    }

    /// @inheritdoc IDataSharingRegistry
    function withdrawDataset(uint32 datasetId) external {
        DataSharingRegistryStorage storage $ = _storage();
        Dataset storage record = _activeDataset($, datasetId);
        _requirePublisher($, record.ownerAgencyId);
        record.withdrawn = true;
        record.updatedAt = _now();
        emit DatasetWithdrawn(datasetId, record.version);
    }

    // -------------------------------------------------------------------------------------------------------------
    // Agency standing
    // -------------------------------------------------------------------------------------------------------------

    /// @inheritdoc IDataSharingRegistry
    function syncAgency(uint32 agencyId) external returns (bool mayRequest, bool mayServe) {
        return _syncAgency(_storage(), agencyId);
    }

    // -------------------------------------------------------------------------------------------------------------
    // Views
    // -------------------------------------------------------------------------------------------------------------

    /// @inheritdoc IDataSharingRegistry
    function dataset(uint32 datasetId) external view returns (DatasetView memory) {
        DataSharingRegistryStorage storage $ = _storage();
        Dataset storage record = $.datasets[datasetId];
        if (record.ownerAgencyId == 0) revert DatasetUnknown(datasetId);
        DatasetDetails storage details = $.datasetDetails[datasetId];
        return
            DatasetView({
                id: datasetId,
                ownerAgencyId: record.ownerAgencyId,
                version: record.version,
                sensitivity: record.sensitivity,
                sharing: record.sharing,
                withdrawn: record.withdrawn,
                updatedAt: record.updatedAt,
                schemaHash: details.schemaHash,
                title: details.title,
                purposes: details.purposes
            });
    }

    /// @inheritdoc IDataSharingRegistry
    function isPurposeListed(uint32 datasetId, bytes32 purpose) external view returns (bool) {
        DataSharingRegistryStorage storage $ = _storage();
        return _isListed($, datasetId, purpose, $.datasets[datasetId].purposeSet);
    }

    /// @inheritdoc IDataSharingRegistry
    function agencyStanding(uint32 agencyId) external view returns (bool mayRequest, bool mayServe) {
        uint256 bits = _standingBits(_storage(), agencyId);
        return (bits & MAY_REQUEST != 0, bits & MAY_SERVE != 0);
    }

    /// @inheritdoc IDataSharingRegistry
    function directory() external view returns (address) {
        return address(_storage().directory);
    }

    // -------------------------------------------------------------------------------------------------------------
    // Internal
    // -------------------------------------------------------------------------------------------------------------

    /// @dev Copies the directory's answer into the standing mirror; emits only when it changes. Agency 0 is no
    /// agency and never gets standing (the directory reports every capability for it, as for a root).
    function _syncAgency(
        DataSharingRegistryStorage storage $,
        uint32 agencyId
    ) internal returns (bool mayRequest, bool mayServe) {
        if (agencyId == 0) return (false, false);
        IAgencyDirectory dir = $.directory;
        mayRequest = dir.effectiveCapabilities(agencyId) & Capabilities.REQUEST_DATA != 0;
        mayServe = dir.effectiveCapabilities(dir.recordKeeper(agencyId)) & Capabilities.PUBLISH_DATASETS != 0;
        uint256 bits = (mayRequest ? MAY_REQUEST : 0) | (mayServe ? MAY_SERVE : 0);
        (uint256 word, uint256 shift) = _standingPosition(agencyId);
        uint256 current = $.standing[word];
        if ((current >> shift) & STANDING_MASK == bits) return (mayRequest, mayServe);
        $.standing[word] = (current & ~(STANDING_MASK << shift)) | (bits << shift);
        emit AgencyStandingSynced(agencyId, mayRequest, mayServe);
    }

    /// @dev Only an operator of the agency that keeps the owner's records (itself, or its successor) may manage
    /// its catalogue and answer requests for it.
    function _requirePublisher(DataSharingRegistryStorage storage $, uint32 ownerAgencyId) internal view {
        if (!$.directory.canActForRecordsOf(msg.sender, ownerAgencyId, Capabilities.PUBLISH_DATASETS)) {
            revert DatasetPublisherRequired(ownerAgencyId, msg.sender);
        }
    }

    function _activeDataset(
        DataSharingRegistryStorage storage $,
        uint32 datasetId
    ) internal view returns (Dataset storage record) {
        record = $.datasets[datasetId];
        if (record.ownerAgencyId == 0) revert DatasetUnknown(datasetId);
        if (record.withdrawn) revert DatasetWasWithdrawn(datasetId);
    }

    /// @dev Reverts unless `purpose` is listed in the dataset's current purpose generation, which it returns.
    function _requireListed(
        DataSharingRegistryStorage storage $,
        uint32 datasetId,
        Dataset storage record,
        bytes32 purpose
    ) internal view returns (uint32 purposeSet) {
        purposeSet = record.purposeSet;
        if (!_isListed($, datasetId, purpose, purposeSet)) revert DatasetPurposeNotAllowed(datasetId, purpose);
    }

    function _isListed(
        DataSharingRegistryStorage storage $,
        uint32 datasetId,
        bytes32 purpose,
        uint32 purposeSet
    ) internal view returns (bool) {
        return purposeSet != 0 && $.purposeSets[datasetId][purpose] == purposeSet;
    }

    /// @dev The standing bits of an agency: MAY_REQUEST | MAY_SERVE.
    function _standingBits(DataSharingRegistryStorage storage $, uint32 agencyId) internal view returns (uint256) {
        (uint256 word, uint256 shift) = _standingPosition(agencyId);
        return ($.standing[word] >> shift) & STANDING_MASK;
    }

    function _mayRequest(DataSharingRegistryStorage storage $, uint32 agencyId) internal view returns (bool) {
        return _standingBits($, agencyId) & MAY_REQUEST != 0;
    }

    function _isPersonal(Sensitivity sensitivity) internal pure returns (bool) {
        return sensitivity >= Sensitivity.Personal;
    }

    /// @dev Block time as the registry stores it. uint40 seconds last until the year 36812.
    function _now() internal view returns (uint40) {
        // solhint-disable-next-line not-rely-on-time
        return uint40(block.timestamp);
    }

    function _storage() internal pure returns (DataSharingRegistryStorage storage $) {
        // solhint-disable-next-line no-inline-assembly
        assembly {
            $.slot := STORAGE_LOCATION
        }
    }

    function _writeEntry(
        DataSharingRegistryStorage storage $,
        uint32 datasetId,
        Dataset storage record,
        DatasetEntry calldata entry
    ) private {
        record.sensitivity = entry.sensitivity;
        record.sharing = entry.sharing;
        record.updatedAt = _now();
        DatasetDetails storage details = $.datasetDetails[datasetId];
        details.schemaHash = entry.schemaHash;
        details.title = entry.title;
        details.purposes = entry.purposes;
        uint32 purposeSet = record.purposeSet;
        mapping(bytes32 => uint32) storage listed = $.purposeSets[datasetId];
        for (uint256 i = 0; i < entry.purposes.length; ++i) {
            listed[entry.purposes[i]] = purposeSet;
        }
    }

    function _requireValidEntry(DatasetEntry calldata entry) private pure {
        uint256 titleLength = bytes(entry.title).length;
        if (titleLength == 0 || titleLength > MAX_TITLE_BYTES) revert DatasetTitleInvalid(titleLength);
        if (entry.sensitivity == Sensitivity.SensitivePersonal && entry.sharing == SharingCategory.Unconditional) {
            revert DatasetSharingNotAllowed(entry.sensitivity, entry.sharing);
        }
        bytes32[] calldata purposes = entry.purposes;
        uint256 count = purposes.length;
        if (count == 0 || count > MAX_PURPOSES) revert DatasetPurposesInvalid(count);
        for (uint256 i = 0; i < count; ++i) {
            if (purposes[i] == bytes32(0)) revert DatasetPurposeInvalid(purposes[i]);
            for (uint256 j = 0; j < i; ++j) {
                if (purposes[j] == purposes[i]) revert DatasetPurposeInvalid(purposes[i]);
            }
        }
    }

    /// @dev Whether some purpose of `current` is missing from `next`. At most MAX_PURPOSES² comparisons.
    function _dropsPurpose(bytes32[] storage current, bytes32[] calldata next) private view returns (bool) {
        uint256 count = current.length;
        for (uint256 i = 0; i < count; ++i) {
            bytes32 purpose = current[i];
            bool kept = false;
            for (uint256 j = 0; j < next.length; ++j) {
                if (next[j] == purpose) {
                    kept = true;
                    break;
                }
            }
            if (!kept) return true;
        }
        return false;
    }

    /// @dev Where an agency's two standing bits live: the word of `standing` and the shift within it.
    function _standingPosition(uint32 agencyId) internal pure returns (uint256 word, uint256 shift) {
        uint256 index = uint256(agencyId) * STANDING_BITS;
        return (index >> WORD_SHIFT, index & BIT_MASK);
    }
}

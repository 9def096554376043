// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {EIP712Upgradeable} from "@openzeppelin/contracts-upgradeable/utils/cryptography/EIP712Upgradeable.sol";
import {Initializable} from "@openzeppelin/contracts-upgradeable/proxy/utils/Initializable.sol";
import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";

import {Capabilities} from "../common/Capabilities.sol";
import {IAgencyDirectory} from "../interfaces/IAgencyDirectory.sol";
import {ILienRegistry} from "../interfaces/ILienRegistry.sol";
import {ITitleRegistry} from "../interfaces/ITitleRegistry.sol";
import {ITitleRegistryTypes} from "../interfaces/ITitleRegistryTypes.sol";

/// @title LienRegistry
/// @notice Mortgages on titles. See {ILienRegistry}.
/// @dev The title registry counts active liens in each title's record and bumps the title's revision through
/// {ITitleRegistry-onLienRegistered}, so a transfer of an unencumbered title never asks this contract anything.
/// On-chain consent records the terms when the last owner consents, so that the lender's registration rewrites a
/// warm, non-zero slot instead of creating one: the lender's transaction (the one with a gas budget) stays small.
/// The title revision serves as the signature nonce: every lien registration bumps it, so a consent (signed or on
/// chain) works once and never survives a change of owners; a signature also carries a deadline.
/// UUPS; only governance (directory) upgrades.
contract LienRegistry is ILienRegistry, Initializable, EIP712Upgradeable, UUPSUpgradeable {
    /// @custom:storage-location erc7201:govchain.storage.LienRegistry
    struct LienRegistryStorage {
        mapping(uint256 titleId => mapping(bytes32 loanContractHash => Lien)) liens;
        // Bitmap of owner indexes that consented on chain to an EIP-712 digest, until the last one does.
        mapping(bytes32 consentDigest => uint256) consents;
    }

    // keccak256(abi.encode(uint256(keccak256("govchain.storage.LienRegistry")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant STORAGE_LOCATION = 0xfd40a227e40b4f218eae7c85bba6c1a289135dd18fde9f9f97712df58669ca00;

    /// @notice Implementation version (semver).
    string public constant VERSION = "1.0.0";
    // An EIP-712 type string is as long as the type it names; it is hashed at compile time.
    // solhint-disable gas-small-strings
    /// @notice EIP-712 type of an owner's consent to a lien.
    bytes32 public constant LIEN_CONSENT_TYPEHASH = keccak256(
        "LienConsent(uint256 titleId,uint32 lenderAgencyId,uint8 kind,uint80 amount,uint40 periodEnd,"
        "bytes32 loanContractHash,uint32 revision,uint40 deadline)"
    );
    // solhint-enable gas-small-strings

    string private constant EIP712_NAME = "GovChain LienRegistry";
    string private constant EIP712_VERSION = "1";

    /// @custom:oz-upgrades-unsafe-allow state-variable-immutable
    IAgencyDirectory private immutable DIRECTORY;
    /// @custom:oz-upgrades-unsafe-allow state-variable-immutable
    ITitleRegistry private immutable TITLES;

    modifier onlyTitleRegistry() {
        if (msg.sender != address(TITLES)) revert LienTitleRegistryRequired(msg.sender);
        _;
    }

    /// @param directory_ The agency directory (proxy).
    /// @param titles_ The title registry (proxy).
    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor(IAgencyDirectory directory_, ITitleRegistry titles_) {
        DIRECTORY = directory_;
        TITLES = titles_;
        _disableInitializers();
    }

    /// @notice Sets up the registry behind its proxy.
    function initialize() external initializer {
        // The name and version are also constants (see _EIP712Name), so signing never reads them from storage.
        __EIP712_init(EIP712_NAME, EIP712_VERSION);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Consent and registration
    // ---------------------------------------------------------------------------------------------------------------

    /// @inheritdoc ILienRegistry
    function consentToLien(LienTerms calldata terms) external {
        _requireValidTerms(terms);
        (uint256 index, uint8 ownerCount, uint32 revision) = TITLES.ownerIndexOf(terms.titleId, msg.sender);
        LienRegistryStorage storage $ = _storage();
        Lien storage entry = $.liens[terms.titleId][terms.loanContractHash];
        LienStatus status = entry.status;
        if (status != LienStatus.None && status != LienStatus.Consented) {
            revert LienAlreadyRegistered(terms.titleId, terms.loanContractHash, status);
        }
        bytes32 digest = _digest(terms, revision);
        uint256 consented = $.consents[digest] | (uint256(1) << index);
        emit LienConsented(terms.titleId, terms.loanContractHash, msg.sender, digest);
        if (consented != (uint256(1) << ownerCount) - 1) {
            $.consents[digest] = consented;
            return;
        }
        delete $.consents[digest];
        $.liens[terms.titleId][terms.loanContractHash] = Lien({
            lenderAgencyId: terms.lenderAgencyId,
            kind: terms.kind,
            status: LienStatus.Consented,
            rank: 0,
            registeredAt: uint40(block.timestamp),
            periodEnd: terms.periodEnd,
            amount: terms.amount,
            revision: revision
        });
    }

    /// @inheritdoc ILienRegistry
    function withdrawLienConsent(uint256 titleId, bytes32 loanContractHash) external {
        TITLES.ownerIndexOf(titleId, msg.sender);
        LienRegistryStorage storage $ = _storage();
        Lien storage entry = $.liens[titleId][loanContractHash];
        if (entry.status != LienStatus.Consented) revert LienNotActive(titleId, loanContractHash, entry.status);
        delete $.liens[titleId][loanContractHash];
        emit LienConsentWithdrawn(titleId, loanContractHash, msg.sender);
    }

    /// @inheritdoc ILienRegistry
    function registerLien(LienTerms calldata terms, bytes[] calldata signatures) external {
        if (!DIRECTORY.canAct(msg.sender, terms.lenderAgencyId, Capabilities.HOLD_LIENS)) {
            revert LienLenderRequired(terms.lenderAgencyId, msg.sender);
        }
        _requireValidTerms(terms);
        LienRegistryStorage storage $ = _storage();
        uint256 titleId = terms.titleId;
        Lien storage entry = $.liens[titleId][terms.loanContractHash];
        LienStatus status = entry.status;
        uint32 revision;
        if (signatures.length == 0) {
            if (status != LienStatus.Consented) revert LienConsentMissing(titleId, address(0));
            if (
                entry.lenderAgencyId != terms.lenderAgencyId ||
                entry.kind != terms.kind ||
                entry.amount != terms.amount ||
                entry.periodEnd != terms.periodEnd
            ) {
                revert LienTermsMismatch(titleId, terms.loanContractHash);
            }
            revision = entry.revision;
        } else {
            if (status != LienStatus.None && status != LienStatus.Consented) {
                revert LienAlreadyRegistered(titleId, terms.loanContractHash, status);
            }
            revision = _requireSignatures($, terms, signatures);
        }
        // Reverts when the title changed since the consents, is not active, or is restricted.
        uint16 rank = TITLES.onLienRegistered(titleId, revision);
        $.liens[titleId][terms.loanContractHash] = Lien({
            lenderAgencyId: terms.lenderAgencyId,
            kind: terms.kind,
            status: LienStatus.Active,
            rank: rank,
            registeredAt: uint40(block.timestamp),
            periodEnd: terms.periodEnd,
            amount: terms.amount,
            revision: revision
        });
        emit LienRegistered(
            titleId,
            terms.loanContractHash,
            terms.lenderAgencyId,
            terms.kind,
            terms.amount,
            terms.periodEnd,
            rank
        );
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Release and discharge
    // ---------------------------------------------------------------------------------------------------------------

    /// @inheritdoc ILienRegistry
    function agreeDischarge(uint256 titleId, bytes32 loanContractHash) external {
        Lien storage entry = _lenderLien(titleId, loanContractHash);
        if (entry.status != LienStatus.Active) revert LienNotActive(titleId, loanContractHash, entry.status);
        entry.status = LienStatus.DischargeAgreed;
        emit LienDischargeAgreed(titleId, loanContractHash, msg.sender);
    }

    /// @inheritdoc ILienRegistry
    function releaseLien(uint256 titleId, bytes32 loanContractHash) external {
        Lien storage entry = _lenderLien(titleId, loanContractHash);
        LienStatus status = entry.status;
        if (status != LienStatus.Active && status != LienStatus.DischargeAgreed) {
            revert LienNotActive(titleId, loanContractHash, status);
        }
        entry.status = LienStatus.Released;
        emit LienReleased(titleId, loanContractHash, msg.sender);
        TITLES.onLienReleased(titleId);
    }

    /// @inheritdoc ILienRegistry
    function dischargeForTransfer(
        uint256 titleId,
        bytes32[] calldata loanContractHashes
    ) external onlyTitleRegistry returns (uint8 discharged) {
        LienRegistryStorage storage $ = _storage();
        for (uint256 i = 0; i < loanContractHashes.length; ++i) {
            bytes32 loanContractHash = loanContractHashes[i];
            Lien storage entry = $.liens[titleId][loanContractHash];
            LienStatus status = entry.status;
            if (status == LienStatus.None || status == LienStatus.Consented) {
                revert LienUnknown(titleId, loanContractHash);
            }
            if (status == LienStatus.Active) revert LienDischargeNotAgreed(titleId, loanContractHash);
            if (status != LienStatus.DischargeAgreed) continue;
            entry.status = LienStatus.Discharged;
            ++discharged;
            emit LienDischarged(titleId, loanContractHash);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Views
    // ---------------------------------------------------------------------------------------------------------------

    /// @inheritdoc ILienRegistry
    function lien(uint256 titleId, bytes32 loanContractHash) external view returns (Lien memory) {
        return _storage().liens[titleId][loanContractHash];
    }

    /// @inheritdoc ILienRegistry
    function lienConsentDigest(LienTerms calldata terms) external view returns (bytes32) {
        (, uint32 revision) = TITLES.ownersOf(terms.titleId);
        return _digest(terms, revision);
    }

    /// @inheritdoc ILienRegistry
    function lienConsents(bytes32 consentDigest) external view returns (uint256) {
        return _storage().consents[consentDigest];
    }

    /// @notice The title registry whose titles this registry mortgages.
    /// @return The title registry.
    function titleRegistry() external view returns (ITitleRegistry) {
        return TITLES;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Internal
    // ---------------------------------------------------------------------------------------------------------------

    /// @dev Only governance upgrades the registry.
    function _authorizeUpgrade(address) internal view override {
        if (!DIRECTORY.isGovernor(msg.sender)) revert LienGovernorRequired(msg.sender);
    }

    // OpenZeppelin's name for the hook.
    // solhint-disable-next-line func-name-mixedcase
    function _EIP712Name() internal pure override returns (string memory) {
        return EIP712_NAME;
    }

    // OpenZeppelin's name for the hook.
    // solhint-disable-next-line func-name-mixedcase
    function _EIP712Version() internal pure override returns (string memory) {
        return EIP712_VERSION;
    }

    /// @dev Every owner consented on chain (bit set) or signed (entry i). Returns the revision consented against.
    function _requireSignatures(
        LienRegistryStorage storage $,
        LienTerms calldata terms,
        bytes[] calldata signatures
    ) private returns (uint32 revision) {
        if (block.timestamp > terms.deadline) revert LienConsentExpired(terms.deadline);
        ITitleRegistryTypes.Owner[] memory owners;
        (owners, revision) = TITLES.ownersOf(terms.titleId);
        if (signatures.length != owners.length) {
            revert LienSignatureCountInvalid(signatures.length, uint8(owners.length));
        }
        bytes32 digest = _digest(terms, revision);
        uint256 onChain = $.consents[digest];
        for (uint256 i = 0; i < owners.length; ++i) {
            if (onChain & (uint256(1) << i) != 0) continue;
            address owner = owners[i].account;
            if (signatures[i].length == 0) revert LienConsentMissing(terms.titleId, owner);
            if (!SignatureChecker.isValidSignatureNow(owner, digest, signatures[i])) {
                revert LienSignatureInvalid(terms.titleId, owner);
            }
        }
        if (onChain != 0) delete $.consents[digest];
    }

    function _lenderLien(uint256 titleId, bytes32 loanContractHash) private view returns (Lien storage entry) {
        entry = _storage().liens[titleId][loanContractHash];
        LienStatus status = entry.status;
        if (status == LienStatus.None || status == LienStatus.Consented) revert LienUnknown(titleId, loanContractHash);
        uint32 lenderAgencyId = entry.lenderAgencyId;
        if (!DIRECTORY.canActForRecordsOf(msg.sender, lenderAgencyId, Capabilities.HOLD_LIENS)) {
            revert LienLenderRequired(lenderAgencyId, msg.sender);
        }
    }

    function _requireValidTerms(LienTerms calldata terms) private view {
        bool ceiling = terms.kind == LienKind.Ceiling;
        if (
            terms.kind == LienKind.None ||
            terms.amount == 0 ||
            terms.loanContractHash == 0 ||
            (ceiling ? terms.periodEnd <= block.timestamp : terms.periodEnd != 0)
        ) {
            revert LienTermsInvalid(terms.kind, terms.amount, terms.periodEnd);
        }
    }

    function _digest(LienTerms calldata terms, uint32 revision) private view returns (bytes32) {
        return
            _hashTypedDataV4(
                keccak256(
                    abi.encode(
                        LIEN_CONSENT_TYPEHASH,
                        terms.titleId,
                        terms.lenderAgencyId,
                        terms.kind,
                        terms.amount,
                        terms.periodEnd,
                        terms.loanContractHash,
                        revision,
                        terms.deadline
                    )
                )
            );
    }

    function _storage() private pure returns (LienRegistryStorage storage $) {
        // solhint-disable-next-line no-inline-assembly
        assembly {
            $.slot := STORAGE_LOCATION
        }
    }
}

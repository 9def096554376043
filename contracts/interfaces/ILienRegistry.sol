// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

/// @title ILienRegistry
/// @notice Mortgages on titles: ordinary and maximum-amount (ceiling) liens, registered by a lender agency with every
/// owner's consent, ranked by registration order, released by the lender or discharged by a transfer that names them.
/// @dev A lien is identified by its title and the hash of its loan (or framework) contract. Consent is given against
/// the title's revision, which every registration on the title bumps: a consent never survives a change of owners,
/// and a signature works once. Owners consent either on chain ({consentToLien}; the last owner's consent records the
/// terms, so the lender's registration only activates them) or by EIP-712 signatures handed to the lender.
interface ILienRegistry {
    /// @notice Kind of mortgage. A ceiling (maximum-amount) mortgage secures every claim arising until `periodEnd`,
    /// up to `amount`.
    enum LienKind {
        None,
        Ordinary,
        Ceiling
    }

    /// @notice Lifecycle of a lien. `Consented`: every owner consented on chain, the lender has not registered it.
    /// `DischargeAgreed` is still active: the lender agreed that a transfer naming the lien discharges it.
    enum LienStatus {
        None,
        Consented,
        Active,
        DischargeAgreed,
        Released,
        Discharged
    }

    /// @notice A lien. Storage layout (one slot): lenderAgencyId 4 | kind 1 | status 1 | rank 2 | registeredAt 5 |
    /// periodEnd 5 | amount 10 | revision 4. `rank` is the registration order on the title (1 first; earlier ranks
    /// ahead); `registeredAt` is the consent time while `Consented`; `revision` the title revision consented against.
    struct Lien {
        uint32 lenderAgencyId;
        LienKind kind;
        LienStatus status;
        uint16 rank;
        uint40 registeredAt;
        uint40 periodEnd;
        uint80 amount;
        uint32 revision;
    }

    /// @notice The terms of a mortgage the owners consent to and the lender registers.
    /// @param titleId The mortgaged title.
    /// @param lenderAgencyId The lender (an agency with HOLD_LIENS).
    /// @param kind Ordinary or ceiling.
    /// @param amount Principal (ordinary) or maximum amount (ceiling), in the currency's minor unit.
    /// @param periodEnd Ceiling mortgages: end of the period in which secured claims arise; 0 for ordinary ones.
    /// @param loanContractHash Hash of the loan (or framework) contract; identifies the lien on the title.
    /// @param deadline Last moment a consent signature over these terms may be used (signed by the owners).
    struct LienTerms {
        uint256 titleId;
        uint32 lenderAgencyId;
        LienKind kind;
        uint80 amount;
        uint40 periodEnd;
        bytes32 loanContractHash;
        uint40 deadline;
    }

    /// @notice An owner consented on chain to lien terms (EIP-712 digest `consentDigest`).
    event LienConsented(
        uint256 indexed titleId,
        bytes32 indexed loanContractHash,
        address indexed owner,
        bytes32 consentDigest
    );
    /// @notice An owner withdrew the owners' on-chain consent before the lender registered the lien.
    event LienConsentWithdrawn(uint256 indexed titleId, bytes32 indexed loanContractHash, address indexed owner);
    /// @notice A lender registered a lien.
    event LienRegistered(
        uint256 indexed titleId,
        bytes32 indexed loanContractHash,
        uint32 indexed lenderAgencyId,
        LienKind kind,
        uint80 amount,
        uint40 periodEnd,
        uint16 rank
    );
    /// @notice The lender agreed that a transfer naming the lien discharges it.
    event LienDischargeAgreed(uint256 indexed titleId, bytes32 indexed loanContractHash, address indexed lender);
    /// @notice The lender released a lien.
    event LienReleased(uint256 indexed titleId, bytes32 indexed loanContractHash, address indexed lender);
    /// @notice A transfer that named the lien was registered, discharging it.
    event LienDischarged(uint256 indexed titleId, bytes32 indexed loanContractHash);

    /// @notice Only the title registry may do this.
    error LienTitleRegistryRequired(address account);
    /// @notice Only governance may do this.
    error LienGovernorRequired(address account);
    /// @notice No lien with this loan contract on the title.
    error LienUnknown(uint256 titleId, bytes32 loanContractHash);
    /// @notice A lien with this loan contract is already registered on the title.
    error LienAlreadyRegistered(uint256 titleId, bytes32 loanContractHash, LienStatus status);
    /// @notice The lien is not active.
    error LienNotActive(uint256 titleId, bytes32 loanContractHash, LienStatus status);
    /// @notice A transfer names the lien but its lender has not agreed to the discharge.
    error LienDischargeNotAgreed(uint256 titleId, bytes32 loanContractHash);
    /// @notice The account may not act for the lender agency with HOLD_LIENS.
    error LienLenderRequired(uint32 lenderAgencyId, address account);
    /// @notice Lien terms must name a kind, a non-zero amount and loan contract; ceiling liens a future period end,
    /// ordinary ones none.
    error LienTermsInvalid(LienKind kind, uint80 amount, uint40 periodEnd);
    /// @notice The terms registered differ from those the owners consented to on chain.
    error LienTermsMismatch(uint256 titleId, bytes32 loanContractHash);
    /// @notice An owner has not consented (on chain or by signature) to the lien terms.
    error LienConsentMissing(uint256 titleId, address owner);
    /// @notice An owner's signature does not verify for the terms at the title's revision.
    error LienSignatureInvalid(uint256 titleId, address owner);
    /// @notice The signatures' deadline passed.
    error LienConsentExpired(uint40 deadline);
    /// @notice There must be no signature or one (possibly empty) per owner.
    error LienSignatureCountInvalid(uint256 count, uint8 ownerCount);

    /// @notice An owner consents on chain to lien terms, against the title's current revision. When the last owner
    /// consents, the terms are recorded (`Consented`) for the lender to register.
    /// @param terms The lien terms (`deadline` is part of the digest but not enforced for on-chain consent).
    function consentToLien(LienTerms calldata terms) external;

    /// @notice An owner withdraws the owners' recorded on-chain consent before the lender registers the lien.
    /// @param titleId The title.
    /// @param loanContractHash The lien.
    function withdrawLienConsent(uint256 titleId, bytes32 loanContractHash) external;

    /// @notice The lender registers a lien. With `signatures` empty, the owners must have consented on chain to
    /// exactly these terms; otherwise `signatures[i]` is owner i's EIP-712 signature, or empty where owner i consented
    /// on chain. ERC-1271 wallets are accepted.
    /// @param terms The lien terms.
    /// @param signatures Nothing, or one entry per owner.
    function registerLien(LienTerms calldata terms, bytes[] calldata signatures) external;

    /// @notice The lender agrees that a transfer naming the lien discharges it on registration.
    /// @param titleId The title.
    /// @param loanContractHash The lien.
    function agreeDischarge(uint256 titleId, bytes32 loanContractHash) external;

    /// @notice The lender releases a lien.
    /// @param titleId The title.
    /// @param loanContractHash The lien.
    function releaseLien(uint256 titleId, bytes32 loanContractHash) external;

    /// @notice Title registry hook: a transfer naming these liens is being registered. Each must have its lender's
    /// agreement (a lien already released or discharged is skipped); each agreed one is discharged.
    /// @param titleId The title.
    /// @param loanContractHashes The liens named by the transfer.
    /// @return discharged How many active liens were discharged.
    function dischargeForTransfer(
        uint256 titleId,
        bytes32[] calldata loanContractHashes
    ) external returns (uint8 discharged);

    /// @notice A lien on a title.
    /// @param titleId The title.
    /// @param loanContractHash The lien.
    /// @return The lien (`status` None when unknown).
    function lien(uint256 titleId, bytes32 loanContractHash) external view returns (Lien memory);

    /// @notice The EIP-712 digest owners sign (or consent to on chain) for lien terms at the title's current
    /// revision.
    /// @param terms The lien terms.
    /// @return The digest.
    function lienConsentDigest(LienTerms calldata terms) external view returns (bytes32);

    /// @notice Which owners consented on chain to a digest and are still waiting for the others, as a bitmap of
    /// owner indexes.
    /// @param consentDigest The digest from {lienConsentDigest}.
    /// @return The bitmap.
    function lienConsents(bytes32 consentDigest) external view returns (uint256);
}

// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

/// @title GasProbe
/// @notice Test and benchmark helper: measures what a view costs when another contract asks for it, cold accesses
/// included, which is the number a registry calling another registry pays.
contract GasProbe {
    /// @notice Static-calls `target` with `data` and reports the gas the call used.
    /// @param target The contract to ask.
    /// @param data The ABI-encoded call.
    /// @return gasUsed Gas consumed by the call, including the cold account access.
    /// @return success Whether the call succeeded.
    /// @return result The raw return data.
    function measure(
        address target,
        bytes calldata data
    ) external view returns (uint256 gasUsed, bool success, bytes memory result) {
        uint256 before = gasleft();
        (success, result) = target.staticcall(data);
        gasUsed = before - gasleft();
    }
}

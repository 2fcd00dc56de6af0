// Self-test input of check_header_constants.sh (CTest rounding.selftest.header_constants_reject):
// the slip once found in review, a constant that says 3.000001 u where the cited theorem
// proves 3.000002 u. The check must reject it.
namespace selftest {
/// E15 mean, abs. [proof: RoundingLink.mean_certified]
inline constexpr double mean_abs = 0x3.000001p-53;
}

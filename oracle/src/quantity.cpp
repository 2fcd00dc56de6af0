#include "reference_run.hpp"

namespace quench::oracle {

const char* quantity_name(Quantity q) {
    switch (q) {
        case Quantity::gt: return "gt";
        case Quantity::st: return "st";
        case Quantity::var: return "var";
        case Quantity::Bstar: return "Bstar";
        case Quantity::eta: return "eta";
        case Quantity::phi: return "phi";
    }
    return "?";
}

bool parse_quantity(const std::string& name, Quantity& q) {
    for (Quantity c : all_quantities)
        if (name == quantity_name(c)) {
            q = c;
            return true;
        }
    return false;
}

}  // namespace quench::oracle

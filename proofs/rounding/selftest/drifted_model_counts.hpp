// A drifted copy of ModelCounts (oracle/src/stepwise_model.hpp) with the ratio count below
// what the Gappa scripts of stepwise/ prove: rounding.stepwise_counts must reject it.
struct ModelCounts {
    static constexpr int recorded_state = 2;  // internal m/c vs recorded gt: one division + storage
    static constexpr int recorded_rate = 1;   // internal eta vs recorded eta: storage
    static constexpr int constant = 1;        // a trace constant rounded to the candidate's type
    static constexpr int mass = 3;            // c' = (1-w) c + w, or 1 - prod(1-w): terms sum to <= 2
    static constexpr int mean = 6;            // gt' from gt, w, c, g (stored m or gt, any order)
    static constexpr int second = 7;          // st' as gt' with g^2 (one more product)
    static constexpr int variance = 6;        // st - gt^2 or (c v - m^2)/c^2: on M = st + gt^2
    static constexpr int ratio = 4;           // Bstar, eta, w: products and one division
    static constexpr int parameter = 2;       // phi - eta g
};

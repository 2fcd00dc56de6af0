// Unit tests of the oracle's parsers and printers (the command-line behaviour is tested by
// cli_tests.sh).
#include "json_text.hpp"
#include "npy.hpp"
#include "number_text.hpp"
#include "oracle_error.hpp"
#include "tolerance.hpp"

#include "quench/hyperparameters.hpp"
#include "quench/trajectory_quantities.hpp"

#include <gtest/gtest.h>

#include <cfloat>
#include <cmath>
#include <fstream>
#include <limits>
#include <set>
#include <sstream>
#include <string>
#include <type_traits>

using namespace quench::oracle;

namespace {
struct Precision40 : ::testing::Test {
    void SetUp() override { set_working_precision(Precision{40}); }
};
}  // namespace

TEST(JsonText, KeepsTheLiteralTextOfNumbers) {
    const JsonValue v = parse_json(R"({"a": 0.1, "b": [1e-400, 12345678901234567890123], "c": -7})");
    EXPECT_EQ(v.find("a")->text, "0.1");
    EXPECT_EQ(v.find("b")->items[0].text, "1e-400");
    EXPECT_EQ(v.find("b")->items[1].text, "12345678901234567890123");
    EXPECT_EQ(v.find("c")->text, "-7");
    EXPECT_TRUE(v.find("c")->integer);
    EXPECT_FALSE(v.find("a")->integer);
}

TEST(JsonText, RejectsDuplicateKeysDeepNestingAndNaN) {
    EXPECT_THROW(parse_json(R"({"a": 1, "a": 2})"), json_syntax_error);
    EXPECT_THROW(parse_json(std::string(200, '[') + std::string(200, ']')), json_syntax_error);
    EXPECT_THROW(parse_json("[NaN]"), json_syntax_error);
    EXPECT_THROW(parse_json("{\"a\": 1"), json_syntax_error);
}

TEST_F(Precision40, DecimalInputsAreEnclosedAtWorkingPrecisionNotThroughDouble) {
    // 0.1 is not a double: the MPFI enclosure holds 1/10 and is far narrower than a double ulp.
    const mp_interval x = from_text<mp_interval>("0.1");
    const mp_interval ten_x = x * 10;
    EXPECT_TRUE(boost::multiprecision::lower(ten_x) <= 1 && 1 <= boost::multiprecision::upper(ten_x));
    EXPECT_LT(boost::multiprecision::width(x), mp_real(1e-39));
    EXPECT_FALSE(boost::multiprecision::lower(x) <= mp_real(0.1) && mp_real(0.1) <= boost::multiprecision::upper(x))
        << "the double 0.1 must not be in the 40-digit enclosure of the decimal 0.1";
    const quench::rigorous_interval d = from_text<quench::rigorous_interval>("0.1");
    EXPECT_EQ(d.lower(), std::nextafter(0.1, 0.0));
    EXPECT_EQ(d.upper(), 0.1);
}

TEST_F(Precision40, PointValuesRoundTripAndBoundsRoundOutward) {
    for (double v : {0.1, 1.0 / 3.0, -2.5e-300, DBL_MAX, DBL_TRUE_MIN, 6.02214076e23}) {
        std::string s;
        append_json(s, v);
        EXPECT_EQ(nearest_double(s), v) << s;
    }
    const mp_real third = mp_real(1) / 3;
    std::string s;
    append_json(s, third);
    EXPECT_EQ(from_text<mp_real>(s), third) << s;
    // The printed bounds of an enclosure of 1/3 enclose 1/3.
    const mp_interval x = mp_interval(1) / 3;
    std::string pair;
    append_json(pair, x);
    const JsonValue v = parse_json(pair);
    ASSERT_EQ(v.items.size(), 2u);
    const mp_interval lo = from_text<mp_interval>(v.items[0].text), hi = from_text<mp_interval>(v.items[1].text);
    EXPECT_TRUE(boost::multiprecision::upper(mp_interval(lo * 3)) <= 1) << pair;
    EXPECT_TRUE(boost::multiprecision::lower(mp_interval(hi * 3)) >= 1) << pair;
}

TEST(Npy, ReadsWhatNumpySaveWrote) {
    NpyRowReader r(std::string(QUENCH_ORACLE_GOLDEN_DIR) + "/golden_npy_grads.npy", 2);
    EXPECT_EQ(r.rows(), 10u);
    EXPECT_EQ(r.columns(), 3u);
    std::vector<double> row;
    std::size_t n = 0;
    while (r.next(row)) {
        ++n;
        for (double v : row) EXPECT_EQ(static_cast<double>(static_cast<float>(v)), v);  // float32 values
    }
    EXPECT_EQ(n, 10u);
}

TEST(Npy, WriterOutputReadsBackWithTheFinalRowCount) {
    std::stringstream buf;
    NpyRowWriter w(buf, 2);
    const double rows[3][2] = {{1, 2}, {0.1, -3e300}, {DBL_TRUE_MIN, -0.0}};
    for (const auto& r : rows) w.write_row(r);
    w.finish();
    const std::string bytes = buf.str();
    EXPECT_EQ(bytes.size(), 128u + 6 * 8);
    NpyRowReader r(std::make_unique<std::istringstream>(bytes), bytes.size(), "mem.npy", 2);
    EXPECT_EQ(r.rows(), 3u);
    std::vector<double> got;
    for (const auto& want : rows) {
        ASSERT_TRUE(r.next(got));
        EXPECT_EQ(got[0], want[0]);
        EXPECT_EQ(got[1], want[1]);
    }
    EXPECT_FALSE(r.next(got));
}

TEST(Npy, RejectsWhatItCannotRead) {
    auto read = [](std::string bytes, unsigned ndim) {
        NpyRowReader r(std::make_unique<std::istringstream>(bytes), bytes.size(), "x.npy", ndim);
        std::vector<double> row;
        while (r.next(row)) {
        }
    };
    const std::string good = npy_header_f8(1, 1) + std::string(8, '\0');
    EXPECT_NO_THROW(read(good, 2));
    EXPECT_THROW(read(good.substr(0, good.size() - 1), 2), bad_input);  // truncated
    EXPECT_THROW(read(good, 1), bad_input);                             // wrong rank
    EXPECT_THROW(read("NUMPY" + good, 2), bad_input);                   // bad magic
    std::string f4 = good;
    f4.replace(f4.find("<f8"), 3, "<i4");
    EXPECT_THROW(read(f4, 2), bad_input);
    // A header announcing (0, 2^37) allocates nothing and holds no rows.
    EXPECT_NO_THROW(read(npy_header_f8(0, std::uint64_t{1} << 37), 2));
}

// The range tests decide on the exact decimal; the shortcut through the nearest double must
// not change an answer where the decimal rounds onto the limit.
TEST(NumberText, RangeTestsAreExactWhereTheDecimalRoundsOntoTheLimit) {
    // DBL_MIN = 2.2250738585072013830...e-308: these two decimals both round to it
    EXPECT_TRUE(below_normal_range("2.2250738585072013e-308"));
    EXPECT_FALSE(below_normal_range("2.2250738585072014e-308"));
    EXPECT_FALSE(below_normal_range("0"));
    EXPECT_TRUE(below_normal_range("-1e-400"));
    EXPECT_FALSE(below_normal_range("1e-300"));
    // DBL_MAX = 1.7976931348623157081...e308
    EXPECT_TRUE(magnitude_exceeds("1.7976931348623158e308", DBL_MAX));
    EXPECT_FALSE(magnitude_exceeds("1.7976931348623157e308", DBL_MAX));
    EXPECT_FALSE(magnitude_exceeds("-1e300", DBL_MAX));
    EXPECT_TRUE(magnitude_exceeds("-1.0000000000000000001", 1.0));
    EXPECT_FALSE(magnitude_exceeds("0.99999999999999999999", 1.0));
    EXPECT_TRUE(nonzero_below("0.99999999999999999999", 1.0));
    EXPECT_FALSE(nonzero_below("1.0000000000000000001", 1.0));
}

// Every non-finite value is refused by row and column, in float64 and float32 rows, wherever
// it sits (the check is one branch-free pass over the row, then a pass for the message), and
// the largest finite values and subnormals are read.
TEST(Npy, RefusesNonFiniteValuesByRowAndColumn) {
    auto row_bytes = [](const std::vector<double>& v, bool f32) {
        std::string b;
        for (double x : v) {
            if (f32) {
                const float f = static_cast<float>(x);
                b.append(reinterpret_cast<const char*>(&f), 4);
            } else {
                b.append(reinterpret_cast<const char*>(&x), 8);
            }
        }
        return b;
    };
    auto message = [&](const std::vector<double>& second_row, bool f32) -> std::string {
        std::string h = npy_header_f8(2, second_row.size());
        if (f32) h.replace(h.find("<f8"), 3, "<f4");
        const std::string bytes = h + row_bytes(std::vector<double>(second_row.size(), 1.0), f32) + row_bytes(second_row, f32);
        NpyRowReader r(std::make_unique<std::istringstream>(bytes), bytes.size(), "x.npy", 2);
        std::vector<double> row;
        try {
            while (r.next(row)) {
            }
        } catch (const bad_input& e) {
            return e.what();
        }
        return "";
    };
    const double inf = std::numeric_limits<double>::infinity(), nan = std::numeric_limits<double>::quiet_NaN();
    for (bool f32 : {false, true}) {
        const double big = f32 ? FLT_MAX : DBL_MAX, small = f32 ? FLT_TRUE_MIN : DBL_TRUE_MIN;
        EXPECT_EQ(message({big, -big, small, -small, 0.0, -0.0, 1.5}, f32), "") << f32;
        for (std::size_t col : {0u, 3u, 6u}) {
            std::vector<double> v(7, 2.0);
            v[col] = nan;
            EXPECT_EQ(message(v, f32), "x.npy: row 1, column " + std::to_string(col) + " is NaN") << f32;
            v[col] = -inf;
            EXPECT_EQ(message(v, f32), "x.npy: row 1, column " + std::to_string(col) + " is infinite") << f32;
        }
    }
}

TEST_F(Precision40, UlpOfDoubleAndFloat) {
    mp_real u;
    ulp_of(mp_real(1), UlpType::float64, u);
    EXPECT_EQ(u, mp_real(DBL_EPSILON));
    ulp_of(mp_real(1), UlpType::float32, u);
    EXPECT_EQ(u, mp_real(FLT_EPSILON));
    ulp_of(mp_real(0), UlpType::float64, u);
    EXPECT_EQ(u, mp_real(DBL_TRUE_MIN));
    ulp_of(mp_real(0.75), UlpType::float64, u);
    EXPECT_EQ(u, mp_real(DBL_EPSILON / 2));
}

TEST_F(Precision40, AllowedRegionIsTheEnclosureWidenedByUlps) {
    const mp_interval exact = mp_interval(1) / 3;
    Tolerance t;
    t.ulps = 1;
    Region r;
    allowed_region(Quantity::phi, exact, nullptr, t, r);
    const double third = 1.0 / 3.0;  // within half an ulp of 1/3
    EXPECT_TRUE(r.lo <= third && third <= r.hi);
    EXPECT_FALSE(r.lo <= std::nextafter(std::nextafter(third, 1.0), 1.0) &&
                 std::nextafter(std::nextafter(third, 1.0), 1.0) <= r.hi);
    t.ulps.reset();
    allowed_region(Quantity::phi, exact, nullptr, t, r);
    EXPECT_FALSE(r.lo <= third && third <= r.hi) << "without ulps: the exact enclosure only";
}

// The trace schema's "options" object lists exactly the core's options (quench::visit_options),
// each with the JSON type of its field and the core's default, plus "literal": the schema is
// documentation that the reader (which iterates over the same list) cannot check by itself.
namespace {
JsonValue read_schema(const std::string& file) {
    std::ifstream in(std::string(QUENCH_ORACLE_SCHEMA_DIR "/") + file);
    if (!in) throw std::runtime_error("cannot open the schema " + file);
    std::stringstream text;
    text << in.rdbuf();
    return parse_json(text.str());
}
}  // namespace

TEST(TraceSchema, OptionsAreTheCoresOptions) {
    const JsonValue schema = read_schema("trace.schema.json");
    const JsonValue* options = schema.find("$defs");
    for (const char* key : {"header", "properties", "options", "properties"}) {
        ASSERT_NE(options, nullptr) << "schema has no " << key;
        options = options->find(key);
    }
    ASSERT_NE(options, nullptr);
    std::set<std::string> in_schema, in_core{"literal"};
    for (const JsonMember& m : options->members) in_schema.insert(m.key);
    const quench::Options<double> defaults;
    quench::visit_options(defaults, [&](const quench::OptionInfo& info, const auto& field) {
        in_core.insert(info.name);
        const JsonValue* p = options->find(info.name);
        ASSERT_NE(p, nullptr) << "the schema lacks the option " << info.name;
        const JsonValue* def = p->find("default");
        ASSERT_NE(def, nullptr) << info.name << " has no default in the schema";
        using Field = std::decay_t<decltype(field)>;
        if constexpr (std::is_same_v<Field, bool>) {
            ASSERT_NE(p->find("type"), nullptr) << info.name;
            EXPECT_EQ(p->find("type")->text, "boolean") << info.name;
            EXPECT_EQ(def->kind, JsonValue::Kind::boolean) << info.name;
            EXPECT_EQ(def->flag, field) << info.name << ": the schema's default is not the core's";
        } else if constexpr (std::is_same_v<Field, quench::NoiseStatistic>) {
            const JsonValue* values = p->find("enum");
            ASSERT_NE(values, nullptr) << info.name;
            std::set<std::string> schema_values, core_values;
            for (const JsonValue& v : values->items) schema_values.insert(v.text);
            for (quench::NoiseStatistic n : quench::all_noise_statistics)
                core_values.insert(quench::noise_statistic_name(n));
            EXPECT_EQ(schema_values, core_values) << info.name;
            EXPECT_EQ(def->text, quench::noise_statistic_name(field)) << info.name;
        } else {  // a limit: a number or null
            ASSERT_NE(p->find("$ref"), nullptr) << info.name;
            EXPECT_EQ(p->find("$ref")->text, "#/$defs/number_or_null") << info.name;
            if (field) {
                ASSERT_EQ(def->kind, JsonValue::Kind::number) << info.name;
                EXPECT_EQ(nearest_double(def->text), *field) << info.name;
            } else {
                EXPECT_EQ(def->kind, JsonValue::Kind::null) << info.name;
            }
        }
    });
    EXPECT_EQ(in_schema, in_core) << "the schema's options differ from quench::Options";
}

// The trajectory schema's quantities are the core's list (quench::trajectory_quantities).
TEST(TrajectorySchema, QuantitiesAreTheCoresQuantities) {
    const JsonValue schema = read_schema("trajectory.schema.json");
    const JsonValue* q = schema.find("$defs");
    for (const char* key : {"header", "properties", "quantities", "items", "enum"}) {
        ASSERT_NE(q, nullptr) << "schema has no " << key;
        q = q->find(key);
    }
    ASSERT_NE(q, nullptr);
    std::vector<std::string> in_schema, in_core;
    for (const JsonValue& v : q->items) in_schema.push_back(v.text);
    for (const quench::QuantityInfo& info : quench::trajectory_quantities) in_core.push_back(info.name);
    EXPECT_EQ(in_schema, in_core);
}

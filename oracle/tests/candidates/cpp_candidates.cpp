// cpp_candidates.cpp - quenching SGD written in plain C++ from the algorithm's description
// (oracle/README.md), independently of the core, as an outside user would: correct ones in
// several expression orders and precisions, and wrong ones, each replaying a trace's
// gradients and recording gt, st, var, Bstar, eta, phi after every step as .npy files.
//
//   cpp_candidates NAME DIR     reads DIR/grads.npy and DIR/constants.txt (written by
//                               numpy_candidates.py), writes DIR/NAME/*.npy and prints the
//                               manifest line: NAME, agree|disagree, first wrong step, quantity
//   cpp_candidates --list       prints the names
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <limits>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace {

struct Constants {
    double B = 0, K = 0, lambda_b = 0, lambda_e = 0, eps = 0, eta_max = 0, w_max = 0;
    std::vector<double> phi0;
};

Constants read_constants(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw std::runtime_error("cannot open " + path);
    Constants k;
    std::map<std::string, double*> fields{{"B", &k.B}, {"K", &k.K}, {"lambda_b", &k.lambda_b},
                                          {"lambda_e", &k.lambda_e}, {"eps", &k.eps},
                                          {"eta_max", &k.eta_max}, {"w_max", &k.w_max}};
    std::string name;
    while (in >> name) {
        if (name == "phi0") {
            std::string line;
            std::getline(in, line);
            std::istringstream s(line);
            double x;
            while (s >> x) k.phi0.push_back(x);
        } else if (fields.count(name)) {
            in >> *fields[name];
        } else {
            throw std::runtime_error(path + ": unknown constant " + name);
        }
    }
    return k;
}

/// A (rows, cols) little-endian float64 .npy, as numpy.save writes it (version 1.0).
std::vector<std::vector<double>> read_npy(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    char magic[8];
    if (!in.read(magic, 8) || std::memcmp(magic, "\x93NUMPY\x01\x00", 8) != 0)
        throw std::runtime_error(path + ": not a version 1.0 .npy");
    unsigned char len[2];
    in.read(reinterpret_cast<char*>(len), 2);
    std::string header(len[0] + 256u * len[1], ' ');
    in.read(header.data(), static_cast<std::streamsize>(header.size()));
    if (header.find("'<f8'") == std::string::npos) throw std::runtime_error(path + ": not float64");
    std::size_t rows = 0, cols = 0;
    if (std::sscanf(header.c_str() + header.find("'shape': (") + 10, "%zu, %zu", &rows, &cols) != 2)
        throw std::runtime_error(path + ": not a 2-d shape");
    std::vector<std::vector<double>> data(rows, std::vector<double>(cols));
    for (auto& r : data) in.read(reinterpret_cast<char*>(r.data()), static_cast<std::streamsize>(8 * cols));
    if (!in) throw std::runtime_error(path + ": truncated");
    return data;
}

template <class S>
void write_npy(const std::string& path, const std::vector<std::vector<S>>& rows) {
    std::ostringstream dict;
    dict << "{'descr': '" << (sizeof(S) == 4 ? "<f4" : "<f8") << "', 'fortran_order': False, 'shape': ("
         << rows.size() << ", " << rows.front().size() << "), }";
    std::string h = dict.str();
    while ((10 + h.size() + 1) % 64 != 0) h += ' ';
    h += '\n';
    std::ofstream out(path, std::ios::binary);
    out.write("\x93NUMPY\x01\x00", 8);
    const unsigned char len[2] = {static_cast<unsigned char>(h.size() % 256), static_cast<unsigned char>(h.size() / 256)};
    out.write(reinterpret_cast<const char*>(len), 2);
    out << h;
    for (const auto& r : rows) out.write(reinterpret_cast<const char*>(r.data()), static_cast<std::streamsize>(sizeof(S) * r.size()));
    if (!out) throw std::runtime_error("cannot write " + path);
}

/// What one candidate records per step and coordinate.
template <class S>
struct Records {
    std::vector<std::vector<S>> gt, st, var, Bstar, eta, phi;
};

enum class Form { obvious, fused_in_place, scaled, wide_arithmetic };
enum class Bug { none, eps_in_rate, float_accumulator, no_eta_max, sign_of_step };

/// The algorithm with storage type S and arithmetic type A (A wider than S or equal).
template <class S, class A>
Records<S> run(const Constants& k, const std::vector<std::vector<double>>& grads, Form form, Bug bug) {
    const std::size_t d = k.phi0.size(), T = grads.size();
    const A B = A(S(k.B)), lb = A(S(k.lambda_b)), le = A(S(k.lambda_e)), eps = A(S(k.eps));
    const A eta_max = A(S(k.eta_max)), w_max = A(S(k.w_max)), K = A(S(k.K));
    const A warm = std::min({B / K, A(1), w_max});
    std::vector<S> m(d, S(0)), v(d, S(0)), c(d, S(0)), w(d, S(warm)), phi(d);
    for (std::size_t i = 0; i < d; ++i) phi[i] = S(k.phi0[i]);
    Records<S> r;
    for (std::size_t t = 1; t <= T; ++t) {
        std::vector<S> gt(d), st(d), var(d), bstar(d), eta(d);
        for (std::size_t i = 0; i < d; ++i) {
            const A g = A(S(grads[t - 1][i]));
            A wi = A(w[i]), ci = A(c[i]), mi = A(m[i]), vi = A(v[i]);
            A gti = 0, sti = 0, vari = 0, etai = 0, bi = 0, wn = 0;
            if (form == Form::fused_in_place) {  // m, v hold gt, st; fused multiply-adds
                ci = std::fma(wi, A(1) - ci, ci);
                const A rho = wi / ci;
                mi = std::fma(rho, g - mi, mi);
                vi = std::fma(rho, std::fma(g, g, -vi), vi);
                gti = mi;
                sti = vi;
            } else {
                ci = (A(1) - wi) * ci + wi;
                mi = (A(1) - wi) * mi + wi * g;
                vi = (A(1) - wi) * vi + wi * g * g;
                if (bug == Bug::float_accumulator) {
                    mi = A(float(mi));
                    vi = A(float(vi));
                }
                gti = mi / ci;
                sti = vi / ci;
            }
            const bool warmup = double(t) <= k.K;
            if (form == Form::scaled) {  // D = c v - m^2: one division
                const A D = std::max(ci * vi - mi * mi, A(0));
                vari = D / (ci * ci);
                const A scale = mi * mi + eps * ci * ci;
                bi = lb * B * D / scale;
                if (!warmup) {
                    const A inv = A(1) / D;
                    etai = std::min(le / B * mi * mi * inv, eta_max);
                    wn = std::min({scale * inv / lb, A(1), w_max});
                }
            } else {
                vari = std::max(sti - gti * gti, A(0));
                bi = lb * B * vari / (gti * gti + eps);
                if (!warmup) {
                    A rate = le * gti * gti / (B * vari);
                    if (bug == Bug::eps_in_rate) rate = le * gti * gti / (B * (vari + eps));
                    if (bug == Bug::no_eta_max) rate = le * gti * gti / (B * std::max(vari, A(1e-300)));
                    else rate = std::min(rate, eta_max);
                    etai = rate;
                    wn = std::min({B / bi, A(1), w_max});
                }
            }
            if (warmup) {
                etai = 0;
                bi = K;
                wn = warm;
            }
            const A p = bug == Bug::sign_of_step ? A(phi[i]) + etai * g : A(phi[i]) - etai * g;
            m[i] = S(mi), v[i] = S(vi), c[i] = S(ci), w[i] = S(wn), phi[i] = S(p);
            gt[i] = S(gti), st[i] = S(sti), var[i] = S(vari), bstar[i] = S(bi), eta[i] = S(etai);
        }
        r.gt.push_back(gt), r.st.push_back(st), r.var.push_back(var), r.Bstar.push_back(bstar);
        r.eta.push_back(eta), r.phi.push_back(phi);
    }
    return r;
}

template <class S>
void save(const std::string& dir, const Records<S>& r) {
    write_npy(dir + "/gt.npy", r.gt), write_npy(dir + "/st.npy", r.st), write_npy(dir + "/var.npy", r.var);
    write_npy(dir + "/Bstar.npy", r.Bstar), write_npy(dir + "/eta.npy", r.eta), write_npy(dir + "/phi.npy", r.phi);
}

struct Candidate {
    const char* name;
    const char* expected;  // manifest tail: agree, or disagree STEP QUANTITY (K = warm-up)
};
const Candidate candidates[] = {
    {"cpp_obvious64", "agree"},
    {"cpp_obvious32", "agree"},
    {"cpp_fused_in_place64", "agree"},
    {"cpp_scaled32", "agree"},
    {"cpp_long_double_arith64", "agree"},
    {"cpp_eps_in_rate", "disagree K+1 eta"},          // eps added to var in eta's denominator
    {"cpp_float_accumulator", "disagree 1 gt"},       // float m, v; doubles recorded
    {"cpp_no_eta_max", "disagree K+1 eta"},           // X9 cap missing: the zero-variance coordinate
    {"cpp_sign_of_step", "disagree K+1 phi"},         // phi + eta g
};

}  // namespace

int main(int argc, char** argv) {
    try {
        if (argc == 2 && std::string(argv[1]) == "--list") {
            for (const auto& c : candidates) std::cout << c.name << "\n";
            return 0;
        }
        if (argc != 3) {
            std::cerr << "usage: cpp_candidates NAME DIR | --list\n";
            return 2;
        }
        const std::string name = argv[1], dir = argv[2];
        const Constants k = read_constants(dir + "/constants.txt");
        const auto grads = read_npy(dir + "/grads.npy");
        const std::string out = dir + "/" + name;
        std::filesystem::create_directories(out);
        if (name == "cpp_obvious64") save(out, run<double, double>(k, grads, Form::obvious, Bug::none));
        else if (name == "cpp_obvious32") save(out, run<float, float>(k, grads, Form::obvious, Bug::none));
        else if (name == "cpp_fused_in_place64") save(out, run<double, double>(k, grads, Form::fused_in_place, Bug::none));
        else if (name == "cpp_scaled32") save(out, run<float, float>(k, grads, Form::scaled, Bug::none));
        else if (name == "cpp_long_double_arith64") save(out, run<double, long double>(k, grads, Form::obvious, Bug::none));
        else if (name == "cpp_eps_in_rate") save(out, run<double, double>(k, grads, Form::obvious, Bug::eps_in_rate));
        else if (name == "cpp_float_accumulator") save(out, run<double, double>(k, grads, Form::obvious, Bug::float_accumulator));
        else if (name == "cpp_no_eta_max") save(out, run<double, double>(k, grads, Form::obvious, Bug::no_eta_max));
        else if (name == "cpp_sign_of_step") save(out, run<double, double>(k, grads, Form::obvious, Bug::sign_of_step));
        else throw std::runtime_error("unknown candidate " + name);
        for (const auto& c : candidates) {
            if (name != c.name) continue;
            std::string e = c.expected;
            const std::size_t kpos = e.find("K+1");
            if (kpos != std::string::npos) e.replace(kpos, 3, std::to_string(static_cast<long>(k.K) + 1));
            std::istringstream s(e);
            std::string verdict, step = "-", quantity = "-";
            s >> verdict >> step >> quantity;
            std::cout << name << "\t" << verdict << "\t" << step << "\t" << quantity << "\n";
        }
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "cpp_candidates: " << e.what() << "\n";
        return 2;
    }
}

// The search's maths checked against independent implementations: the Gaussian process's posterior,
// the fitted hyperparameters and BO's linear prior mean against scikit-learn, Expected Improvement against scipy's normal,
// and the design space's sizes, the halving schedule and the optimisers' determinism by hand.

import ArchonKit
import ArchonTestSupport
import Foundation
import XCTest

final class SearchMathTests: XCTestCase {
    /// Training points on three features (two ordinal, one binary) and a smooth target with noise.
    static let x: [[Double]] = (0..<24).map { (i: Int) -> [Double] in
        let a = Double(i % 5) / 4.0
        let b = Double((i * 3) % 7) / 6.0
        return [a, b, Double(i % 2)]
    }
    static let y: [Double] = x.enumerated().map { i, p in
        let a: Double = 0.6 * p[0]
        let b: Double = 0.8 * (p[1] - 0.4) * (p[1] - 0.4)
        let c: Double = 0.15 * p[2] + 0.12 * sin(Double(i) * 1.7)
        return a - b + c
    }
    static let queries: [[Double]] = [[0.1, 0.2, 0], [0.5, 0.5, 1], [0.9, 0.05, 0], [0.33, 0.8, 1], [1, 1, 0]]

    func sklearn(_ script: String, _ input: Any) throws -> Any {
        let python = repositoryRoot.appendingPathComponent(".venv/bin/python").path
        let data = try JSONSerialization.data(withJSONObject: input)
        let r = try runProcess(python, ["-c", script, String(decoding: data, as: UTF8.self)])
        XCTAssertEqual(r.status, 0, "scikit-learn in .venv (scripts/test.sh installs it): \(r.stderr)")
        return try JSONSerialization.jsonObject(with: Data(r.stdout.utf8))
    }

    static let prelude = """
        import json, sys
        import numpy as np
        from sklearn.gaussian_process import GaussianProcessRegressor
        from sklearn.gaussian_process.kernels import ConstantKernel, Matern, WhiteKernel
        from scipy.stats import norm
        d = json.loads(sys.argv[1]); X = np.array(d["x"]); y = np.array(d["y"]); Q = np.array(d["q"])
        """

    /// Posterior mean and standard deviation at fixed hyperparameters, and EI, against scikit-learn and scipy.
    func testPosteriorAndExpectedImprovementMatchScikitLearn() throws {
        let h = GPHyperparameters(amplitude: 1.7, lengthScales: [0.6, 0.35, 1.2], noise: 0.02)
        let script = Self.prelude + "\n" + """
            k = ConstantKernel(1.7, "fixed") * Matern(length_scale=[0.6, 0.35, 1.2], length_scale_bounds="fixed", nu=2.5) + WhiteKernel(0.02, "fixed")
            gp = GaussianProcessRegressor(kernel=k, optimizer=None, normalize_y=True).fit(X, y)
            m, s = gp.predict(Q, return_std=True)
            best = float(y.max()); z = (m - best) / s
            ei = (m - best) * norm.cdf(z) + s * norm.pdf(z)
            print(json.dumps({"mean": m.tolist(), "sd": s.tolist(), "ei": ei.tolist(), "lml": float(gp.log_marginal_likelihood_value_)}))
            """
        let out = try XCTUnwrap(try sklearn(script, ["x": Self.x, "y": Self.y, "q": Self.queries]) as? [String: Any])
        let gp = try XCTUnwrap(GaussianProcess(x: Self.x, y: Self.y, hyper: h))
        let mean = try XCTUnwrap(out["mean"] as? [Double]), sd = try XCTUnwrap(out["sd"] as? [Double]), ei = try XCTUnwrap(out["ei"] as? [Double])
        let best = Self.y.max()!
        for (i, q) in Self.queries.enumerated() {
            let p = gp.predict(q, withNoise: true)
            XCTAssertEqual(p.mean, mean[i], accuracy: 1e-6, "mean at \(q)")
            XCTAssertEqual(p.variance.squareRoot(), sd[i], accuracy: 1e-6, "sd at \(q)")
            XCTAssertEqual(GaussianProcess.expectedImprovement(mean: p.mean, variance: p.variance, best: best), ei[i], accuracy: 1e-6, "EI at \(q)")
        }
        // scikit-learn's log marginal likelihood is of the standardised targets, as ours.
        XCTAssertEqual(gp.logMarginalLikelihood, try XCTUnwrap(out["lml"] as? Double), accuracy: 1e-6)
    }

    /// BO's prior mean (ridge regression, intercept free) against scikit-learn's Ridge.
    func testLinearPriorMatchesScikitLearnRidge() throws {
        let script = Self.prelude + "\n" + """
            from sklearn.linear_model import Ridge
            out = {}
            for alpha in (1.0, 0.1):
                r = Ridge(alpha=alpha, fit_intercept=True).fit(X, y)
                out[str(alpha)] = {"intercept": float(r.intercept_), "weights": r.coef_.tolist(), "q": r.predict(Q).tolist()}
            print(json.dumps(out))
            """
        let out = try XCTUnwrap(try sklearn(script, ["x": Self.x, "y": Self.y, "q": Self.queries]) as? [String: [String: Any]])
        for ridge in [1.0, 0.1] {
            let want = try XCTUnwrap(out[String(ridge)])
            let line = LinearPrior.fit(x: Self.x, y: Self.y, ridge: ridge)
            XCTAssertEqual(line.intercept, try XCTUnwrap(want["intercept"] as? Double), accuracy: 1e-9, "intercept, ridge \(ridge)")
            for (w, v) in zip(line.weights, try XCTUnwrap(want["weights"] as? [Double])) { XCTAssertEqual(w, v, accuracy: 1e-9, "weights, ridge \(ridge)") }
            for (q, v) in zip(Self.queries, try XCTUnwrap(want["q"] as? [Double])) { XCTAssertEqual(line.predict(q), v, accuracy: 1e-9, "prediction at \(q)") }
        }
        // The penalty shrinks the slopes: a larger ridge, smaller weights.
        XCTAssertLessThan(LinearPrior.fit(x: Self.x, y: Self.y, ridge: 10).weights.map(abs).reduce(0, +),
                          LinearPrior.fit(x: Self.x, y: Self.y, ridge: 0.1).weights.map(abs).reduce(0, +))
    }

    /// The fitted hyperparameters against scikit-learn's fit with the same bounds and starting point.
    func testFittedHyperparametersMatchScikitLearn() throws {
        let script = Self.prelude + "\n" + """
            k = ConstantKernel(1.0, (0.05, 20.0)) * Matern(length_scale=[1.0, 1.0, 1.0], length_scale_bounds=(1.0, 20.0), nu=2.5) + WhiteKernel(0.01, (1e-4, 1.0))
            gp = GaussianProcessRegressor(kernel=k, normalize_y=True, n_restarts_optimizer=8, random_state=0).fit(X, y)
            kk = gp.kernel_
            print(json.dumps({"amplitude": float(kk.k1.k1.constant_value), "lengths": list(map(float, kk.k1.k2.length_scale)),
                              "noise": float(kk.k2.noise_level), "lml": float(gp.log_marginal_likelihood_value_)}))
            """
        let out = try XCTUnwrap(try sklearn(script, ["x": Self.x, "y": Self.y, "q": Self.queries]) as? [String: Any])
        let gp = try XCTUnwrap(GaussianProcess.fit(x: Self.x, y: Self.y, restarts: 24, seed: 1, iterations: 400))
        let theirs = try XCTUnwrap(out["lml"] as? Double)
        // The likelihood has more than one local optimum here: both fits search from the same start
        // and from random ones (ours 24, theirs 8). The same optimum: the likelihood within 1e-3, each hyperparameter within 5% (log scale).
        XCTAssertEqual(gp.logMarginalLikelihood, theirs, accuracy: 1e-3, "ours \(gp.hyper), theirs \(out)")
        XCTAssertEqual(log(gp.hyper.amplitude), log(try XCTUnwrap(out["amplitude"] as? Double)), accuracy: 0.05)
        for (mine, their) in zip(gp.hyper.lengthScales, try XCTUnwrap(out["lengths"] as? [Double])) {
            XCTAssertEqual(log(mine), log(their), accuracy: 0.05, "length scale")
        }
        XCTAssertEqual(log(gp.hyper.noise), log(try XCTUnwrap(out["noise"] as? Double)), accuracy: 0.05)
    }

    /// The analytic gradient of the log marginal likelihood against central differences.
    func testLikelihoodGradientMatchesFiniteDifferences() throws {
        let h0 = GPHyperparameters(amplitude: 1.3, lengthScales: [0.6, 0.7, 1.1], noise: 0.09)
        func lml(_ h: GPHyperparameters) -> Double { GaussianProcess(x: Self.x, y: Self.y, hyper: h)!.logMarginalLikelihood }
        func scaled(_ k: Int, _ f: Double) -> GPHyperparameters {
            var h = h0
            if k == 0 { h.amplitude *= f } else if k == 4 { h.noise *= f } else { h.lengthScales[k - 1] *= f }
            return h
        }
        let e = 1e-5
        let analytic = try XCTUnwrap(GaussianProcess.gradient(x: Self.x, y: Self.y, h0))
        for k in 0..<5 { XCTAssertEqual(analytic[k], (lml(scaled(k, exp(e))) - lml(scaled(k, exp(-e)))) / (2 * e), accuracy: 1e-6) }
    }

    /// Sizes counted by hand, and what the filters leave out.
    func testSpaceSizesAndFilters() {
        let m = (1...3).map { ModelSpec(name: "m\($0)", provider: "vllm", model: "m\($0)") }
        let space = DesignSpace(name: "s", models: m, samples: [1, 2, 3], fuseLayers: [0, 1, 2], fusers: [1, 2, 3],
                                rankers: [.off, .on(topK: 3)], critics: [false, true])
        let (points, size) = space.enumerate()
        XCTAssertEqual(size.raw, 3 * 3 * 3 * 3 * 2 * 2)
        // With fusion layers: 9 generator/sample pairs · 2 layer counts · 3 fusers · ranker 2 · critic 2 = 216, less the
        // 2·3·2 = 12 with a ranker over one candidate (1 gen × 1 sample). Without: a ranker over the 8 pairs with two or more
        // candidates, critic on or off (16), or the one pair with a single candidate and nothing after it (1).
        XCTAssertEqual(points.count, 216 - 12 + 16 + 1)
        XCTAssertEqual(Set(points.map(\.architecture.layersNotation)).count, points.count, "each architecture once")
        XCTAssertTrue(points.allSatisfy { ConstructionRules.violations($0.architecture).isEmpty })
        let capped = DesignSpace(name: "s", models: m, samples: [1, 2, 3], fuseLayers: [0, 1, 2], fusers: [1, 2, 3],
                                 rankers: [.off, .on(topK: 3)], critics: [false, true], limits: SpaceLimits(maxCalls: 6)).enumerate()
        XCTAssertTrue(capped.points.allSatisfy { $0.calls <= 6 })
        XCTAssertTrue(capped.size.dropped.contains { $0.reason == "over max_calls=6" })
        var small = m
        small[0].contextTokens = 600
        let tight = DesignSpace(name: "s", models: small, samples: [1, 2, 3], fuseLayers: [1]).enumerate()
        XCTAssertTrue(tight.size.dropped.contains { $0.reason.hasPrefix("over m1's context") }, "\(tight.size.dropped)")
        // The paper's axes over ten models.
        let ten = (1...10).map { ModelSpec(name: "p\($0)", provider: "vllm", model: "p\($0)") }
        let paper = DesignSpace.paper(name: "paper", models: ten, source: "")
        XCTAssertEqual(paper.rawSize, 10 * 5 * 3 * 5 * 2 * 2 * 3)
    }

    func testHalvingScheduleAndDeterministicProposals() {
        let s = HalvingSchedule.plan(budget: 24, dev: 20, points: 229)
        XCTAssertLessThanOrEqual(s.rungs.map(\.configs).reduce(0, +), 24)
        XCTAssertEqual(s.rungs.map(\.configs), [14, 7, 3])
        XCTAssertEqual(s.rungs.map(\.items), [5, 10, 20])
        let big = HalvingSchedule.plan(budget: 300, dev: 40, points: 507)
        XCTAssertEqual(big.rungs.map(\.items), [5, 10, 20, 40])
        XCTAssertEqual(big.rungs.map(\.configs), [160, 80, 40, 20])
        XCTAssertEqual(HalvingSchedule.plan(budget: 2, dev: 3, points: 9).rungs.map(\.configs), [2])
        XCTAssertEqual(SearchSplit.of((0..<40).map { "i\($0)" }, testFraction: 0.5, seed: 3), SearchSplit.of((0..<40).map { "i\($0)" }, testFraction: 0.5, seed: 3))
        let split = SearchSplit.of((0..<40).map { "i\($0)" }, testFraction: 0.25, seed: 3)
        XCTAssertEqual(split.test.count, 10)
        XCTAssertTrue(Set(split.dev).isDisjoint(with: split.test))
    }
}

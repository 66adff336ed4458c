using System.Globalization;
using MeshDashboard.Sandbox.Admission.Istio;

namespace MeshDashboard.Sandbox.Tests.Admission;

/// <summary>
/// The sandbox's webhook step (IstioValidation) against the corpus of istiod's own verdicts: no object istiod accepts is
/// refused, fewer than 5% of the objects istiod refuses are accepted, and where istiod warns the sandbox warns too.
/// </summary>
public sealed class IstiodVerdictTests
{
    /// <summary>The share of istiod's refusals the sandbox may still accept.</summary>
    private const double FalseAcceptanceLimit = 0.05;

    private static IEnumerable<VerdictCase> Semantic => IstiodVerdictCorpus.Cases.Where(c => !c.IsSchemaLevel);

    private static void Say(string line) => TestContext.Current.TestOutputHelper?.WriteLine(line);

    [Fact]
    public void TheCorpus_HasOver140DistinctCases_EachWithAVerdictAndACitation()
    {
        var cases = IstiodVerdictCorpus.Cases;

        Assert.True(cases.Count >= 140, $"{cases.Count} cases");
        Assert.Equal(cases.Count, cases.Select(c => c.Id).Distinct().Count());
        Assert.All(cases, c =>
        {
            Assert.Contains(c.Verdict, new[] { "accept", "refuse", "warn" });
            Assert.Contains(c.Level, new[] { "semantic", "schema" });
            Assert.Contains(c.Kind, new[] { "VirtualService", "DestinationRule", "Gateway" });
            Assert.False(string.IsNullOrWhiteSpace(c.Cite));
        });
        Assert.Contains(cases, c => c.IstiodAccepts);
        Assert.Contains(cases, c => !c.IstiodAccepts);
    }

    [Fact]
    public void IstioValidation_RefusesNothingIstiodAccepts_AndAcceptsUnder5PercentOfWhatItRefuses()
    {
        var results = Semantic.Select(c => (Case: c, Verdict: IstioValidation.Validate(c.Kind, c.Object))).ToList();
        var accepted = results.Where(r => r.Case.IstiodAccepts).ToList();
        var refused = results.Where(r => !r.Case.IstiodAccepts).ToList();
        var falseRejections = accepted.Where(r => r.Verdict.Refused).ToList();
        var falseAcceptances = refused.Where(r => !r.Verdict.Refused).ToList();
        var rate = (double)falseAcceptances.Count / refused.Count;

        Say($"istiod corpus: {results.Count} semantic cases ({accepted.Count} istiod accepts, {refused.Count} it refuses), " +
            $"{IstiodVerdictCorpus.Cases.Count - results.Count} schema-level cases left to the CRD schema");
        Say($"false rejections: {falseRejections.Count} of {accepted.Count}; false acceptances: {falseAcceptances.Count} of {refused.Count} ({rate.ToString("P1", CultureInfo.InvariantCulture)})");
        foreach (var (c, v) in falseRejections)
        {
            Say($"  refused, istiod accepts: {c.Id} ({c.Cite}): {string.Join("; ", v.Errors.Select(e => $"{e.Field}: {e.Message}"))}");
        }
        foreach (var (c, _) in falseAcceptances)
        {
            Say($"  accepted, istiod refuses: {c.Id} ({c.Cite})");
        }

        Assert.True(falseRejections.Count == 0, "refused what istiod accepts: " + string.Join(", ", falseRejections.Select(r =>
            $"{r.Case.Id} [{string.Join("; ", r.Verdict.Errors.Select(e => $"{e.Field}: {e.Message}"))}]")));
        Assert.True(rate < FalseAcceptanceLimit, $"accepted {falseAcceptances.Count} of {refused.Count} that istiod refuses: " + string.Join(", ", falseAcceptances.Select(r => r.Case.Id)));
    }

    [Fact]
    public void IstioValidation_WarnsWhereIstiodWarns()
    {
        var silent = Semantic.Where(c => c.Verdict == "warn")
            .Where(c => IstioValidation.Validate(c.Kind, c.Object).Warnings.Count == 0)
            .Select(c => c.Id).ToList();

        Assert.Empty(silent);
    }

    [Fact]
    public void IstioValidation_GivesNoWarningOnCasesIstiodAcceptsSilently()
    {
        var noisy = Semantic.Where(c => c.Verdict == "accept")
            .Select(c => (c.Id, IstioValidation.Validate(c.Kind, c.Object).Warnings))
            .Where(r => r.Warnings.Count > 0)
            .Select(r => $"{r.Id}: {string.Join("; ", r.Warnings)}").ToList();

        Assert.Empty(noisy);
    }

    [Fact(Skip = "Schema-level cases (unknown fields nested in corsPolicy, redirect, rewrite, consistentHash) are refused by the CRD structural schema, not by istiod's semantic checks; the schema is replaced on branch sandbox-contract, whose tests take these cases.")]
    public void SchemaLevelCases_AreRefusedByTheCrdSchema()
    {
        Assert.All(IstiodVerdictCorpus.Cases.Where(c => c.IsSchemaLevel), c => Assert.False(c.IstiodAccepts));
    }

    [Theory]
    [InlineData("match-uppercase-header-name")]
    [InlineData("match-uri-no-kind")]
    [InlineData("match-without-headers-regex-star")]
    [InlineData("match-regex-named-group")]
    [InlineData("abort-status-600")]
    [InlineData("abort-without-type")]
    [InlineData("delay-without-value")]
    [InlineData("server-unix-bind-port-0")]
    [InlineData("tls-ca-cert-credential-name")]
    public void WhatTheSandboxOnceRefused_IstiodAccepts_AndSoDoesTheSandbox(string id)
    {
        var c = IstiodVerdictCorpus.Cases.Single(x => x.Id == id);

        var verdict = IstioValidation.Validate(c.Kind, c.Object);

        Assert.True(c.IstiodAccepts);
        Assert.False(verdict.Refused, string.Join("; ", verdict.Errors.Select(e => $"{e.Field}: {e.Message}")));
    }

    [Theory]
    [InlineData("vs-star-host-for-mesh", "spec.hosts[0]")]
    [InlineData("vs-bad-gateway-name", "spec.gateways[0]")]
    [InlineData("vs-tcp-without-route", "spec.tcp[0].route")]
    [InlineData("rule-direct-response-and-route", "spec.http[0]")]
    [InlineData("rule-mirror-and-mirrors", "spec.http[0]")]
    [InlineData("delay-sub-millisecond", "spec.http[0].fault.delay.fixedDelay")]
    [InlineData("abort-percentage-over-100", "spec.http[0].fault.abort.percentage.value")]
    [InlineData("retries-bad-policy", "spec.http[0].retries.retryOn")]
    [InlineData("cors-bad-method", "spec.http[0].corsPolicy.allowMethods")]
    [InlineData("redirect-code-299", "spec.http[0].redirect")]
    [InlineData("abort-grpc-bad-status", "spec.http[0].fault.abort.grpcStatus")]
    [InlineData("match-empty-header-name", "spec.http[0].match[0].headers")]
    [InlineData("match-regex-too-long", "spec.http[0].match[0].uri.regex")]
    [InlineData("tp-empty", "spec.trafficPolicy")]
    [InlineData("lb-maglev-not-prime", "spec.trafficPolicy.loadBalancer.consistentHash.maglev.tableSize")]
    [InlineData("gw-duplicate-port-names", "spec.servers[1].port.name")]
    [InlineData("server-https-without-tls", "spec.servers[0].tls")]
    [InlineData("tls-simple-no-certificate", "spec.servers[0].tls")]
    public void WhatTheSandboxOnceAccepted_IstiodRefuses_AndSoDoesTheSandbox_NamingTheField(string id, string field)
    {
        var c = IstiodVerdictCorpus.Cases.Single(x => x.Id == id);

        var verdict = IstioValidation.Validate(c.Kind, c.Object);

        Assert.False(c.IstiodAccepts);
        Assert.Contains(verdict.Errors, e => e.Field == field);
    }
}

using MeshDashboard.Mesh.Analysis;
using static MeshDashboard.Mesh.Tests.TestMesh;

namespace MeshDashboard.Mesh.Tests.Analysis;

/// <summary>The composition; each rule's cases live beside its checker (Analysis/Checkers).</summary>
public class MeshAnalyzerTests
{
    [Fact]
    public void Analyze_FindsOnlyTheDeprecatedFieldInTheBlueGreenDemo()
    {
        var codes = MeshAnalyzer.Analyze(MyAppDemo()).Select(f => f.Code).ToList();

        Assert.Equal([FindingCodes.DeprecatedField], codes);
    }

    [Fact]
    public void Analyze_RunsOneCheckerPerCodeInCodeOrder()
    {
        var codes = MeshAnalyzer.Checkers.Select(c => c.Code).ToList();

        Assert.Equal(codes.Distinct().Order(StringComparer.Ordinal), codes);
        Assert.Equal(typeof(FindingCodes).GetFields().Length, codes.Count);
    }

    [Fact]
    public void Analyze_ReportsWhatEveryCheckerReports()
    {
        var snapshot = Bookinfo().With(Vs("bookinfo", "extra", """{"hosts": ["x"], "http": [{"route": [{"destination": {"host": "nope"}}, {"destination": {"host": "reviews", "subset": "v9"}}]}]}"""));

        var codes = MeshAnalyzer.Analyze(snapshot).Select(f => f.Code).ToList();

        Assert.Contains(FindingCodes.DestinationHostNotFound, codes);
        Assert.Contains(FindingCodes.SubsetNotDefined, codes);
    }

    [Fact]
    public void FindingCodes_StayStable()
    {
        Assert.Equal(
            ["MD001", "MD002", "MD003", "MD004", "MD005", "MD006", "MD007", "MD008", "MD009", "MD010", "MD011", "MD012", "MD013", "MD014", "MD015", "MD016", "MD017", "MD018"],
            [FindingCodes.DestinationHostNotFound, FindingCodes.SubsetNotDefined, FindingCodes.SubsetSelectsNoPods, FindingCodes.GatewayNotFound,
             FindingCodes.DuplicateHost, FindingCodes.UnreachableRule, FindingCodes.InvalidWeights, FindingCodes.WeightsNotHundred, FindingCodes.FaultInvalid,
             FindingCodes.DeprecatedField, FindingCodes.DestinationRuleHostNotFound, FindingCodes.GatewayServerIncomplete, FindingCodes.ManagedByController,
             FindingCodes.TrafficToUnreadyPods, FindingCodes.FaultBypassesRetries, FindingCodes.MirrorWithoutReadyPods, FindingCodes.TimeoutBelowRetries,
             FindingCodes.UppercaseHeaderName]);
    }
}

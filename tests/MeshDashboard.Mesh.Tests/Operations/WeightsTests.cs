using MeshDashboard.Mesh.Operations;

namespace MeshDashboard.Mesh.Tests.Operations;

public class WeightsTests
{
    private static Dictionary<string, int> W(params (string Subset, int Weight)[] weights) => weights.ToDictionary(w => w.Subset, w => w.Weight);

    [Fact]
    public void Even_GivesTheRemainderToTheFirstSubsets()
    {
        Assert.Equal(W(("v1", 34), ("v2", 33), ("v3", 33)), Weights.Even(["v1", "v2", "v3"]));
        Assert.Equal(W(("a", 50), ("b", 50)), Weights.Even(["a", "b"]));
        Assert.Equal(W(("only", 100)), Weights.Even(["only"]));
        Assert.Empty(Weights.Even([]));
    }

    [Fact]
    public void Even_AlwaysTotals100()
    {
        for (var n = 1; n <= 12; n++)
        {
            var even = Weights.Even([.. Enumerable.Range(0, n).Select(i => $"s{i}")]);
            Assert.Equal(100, even.Values.Sum());
            Assert.True(even.Values.Max() - even.Values.Min() <= 1);
        }
    }

    [Fact]
    public void Rebalance_MovesTheOtherSubsetProportionally()
    {
        var result = Weights.Rebalance(W(("v1", 50), ("v2", 50)), "v1", 80, new HashSet<string>());

        Assert.Equal(W(("v1", 80), ("v2", 20)), result);
    }

    [Fact]
    public void Rebalance_SplitsTheDifferenceByCurrentShareWithLargestRemainders()
    {
        // 70 left for v2 (20) and v3 (40): 23.33 and 46.67 → 23 and 47.
        var result = Weights.Rebalance(W(("v1", 40), ("v2", 20), ("v3", 40)), "v1", 30, new HashSet<string>());

        Assert.Equal(W(("v1", 30), ("v2", 23), ("v3", 47)), result);
        Assert.Equal(100, result.Values.Sum());
    }

    [Fact]
    public void Rebalance_SpreadsEvenlyWhenTheOthersAreAllZero()
    {
        var result = Weights.Rebalance(W(("v1", 100), ("v2", 0), ("v3", 0)), "v1", 50, new HashSet<string>());

        Assert.Equal(W(("v1", 50), ("v2", 25), ("v3", 25)), result);
    }

    [Fact]
    public void Rebalance_LeavesLockedSubsetsAlone()
    {
        var result = Weights.Rebalance(W(("v1", 40), ("v2", 30), ("v3", 30)), "v1", 60, new HashSet<string> { "v3" });

        Assert.Equal(W(("v1", 60), ("v2", 10), ("v3", 30)), result);
    }

    [Fact]
    public void Rebalance_ClampsTheMovedValueToWhatLockedSubsetsLeave()
    {
        var result = Weights.Rebalance(W(("v1", 40), ("v2", 30), ("v3", 30)), "v1", 90, new HashSet<string> { "v3" });

        Assert.Equal(W(("v1", 70), ("v2", 0), ("v3", 30)), result);
    }

    [Fact]
    public void Rebalance_PinsTheMovedValueWhenEverythingElseIsLocked()
    {
        var result = Weights.Rebalance(W(("v1", 40), ("v2", 60)), "v1", 90, new HashSet<string> { "v2" });

        Assert.Equal(W(("v1", 40), ("v2", 60)), result);
    }

    [Fact]
    public void Rebalance_ClampsValuesOutside0To100()
    {
        Assert.Equal(W(("v1", 100), ("v2", 0)), Weights.Rebalance(W(("v1", 50), ("v2", 50)), "v1", 130, new HashSet<string>()));
        Assert.Equal(W(("v1", 0), ("v2", 100)), Weights.Rebalance(W(("v1", 50), ("v2", 50)), "v1", -5, new HashSet<string>()));
    }

    [Fact]
    public void Rebalance_RejectsAnUnknownSubset()
    {
        Assert.Throws<ArgumentException>(() => Weights.Rebalance(W(("v1", 100)), "v9", 10, new HashSet<string>()));
    }

    [Fact]
    public void Rebalance_KeepsTheInputOrder()
    {
        var result = Weights.Rebalance(W(("b", 50), ("a", 50)), "a", 10, new HashSet<string>());

        Assert.Equal(["b", "a"], result.Keys);
    }
}

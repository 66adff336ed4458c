using MeshDashboard.Sandbox.Traffic;

namespace MeshDashboard.Sandbox.Tests.Traffic;

/// <summary>
/// The ledger's history for the embedded reader: bounded however long the sandbox runs (older checkpoints thin out),
/// while windows from the shortest to the longest kept, and a sparkline's steps, still read the rate that was sent.
/// </summary>
public sealed class TrafficLedgerTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    private static readonly IstioLabels Cart = new("destination", "checkout", "shop", "cart.shop.svc.cluster.local", "cart", "shop", "cart-v1", "shop", "cart", "v1", "200", "", "-", "mutual_tls");

    /// <summary>Ten requests a second to the cart service for <paramref name="duration"/>, with a checkpoint offered every second.</summary>
    private static TrafficLedger Steady(TimeSpan duration)
    {
        var ledger = new TrafficLedger(Start, TimeSpan.FromMinutes(75), TimeSpan.FromSeconds(5));
        for (var at = Start.AddSeconds(1); at <= Start + duration; at += TimeSpan.FromSeconds(1))
        {
            for (var i = 0; i < 10; i++)
            {
                ledger.Record(Cart, 20);
            }
            ledger.Checkpoint(at);
        }
        return ledger;
    }

    [Fact]
    public void SeventyFiveMinutesOfCheckpoints_AreThinnedWithAge_AndEveryWindowStillReadsTheRate()
    {
        var end = Start.AddMinutes(75);
        var ledger = Steady(TimeSpan.FromMinutes(75));

        // One checkpoint per 5 s for 75 minutes would be 900.
        Assert.InRange(ledger.CheckpointsKept, 2, 100);
        foreach (var window in new[] { TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5), TimeSpan.FromHours(1) })
        {
            var sample = Assert.Single(ledger.ReadService("destination", "shop", "cart", window, end, TimeSpan.Zero, TimeSpan.FromSeconds(1)));
            Assert.Equal(10, sample.FiguresOf(_ => true).RequestsPerSecond, 6);
            Assert.Equal(10, Assert.Single(ledger.ReadMesh("destination", window)).PerSecond, 6);
        }
        var sparkline = ledger.ReadService("destination", "shop", "cart", TimeSpan.FromMinutes(1), end, TimeSpan.FromMinutes(15), TimeSpan.FromSeconds(30));
        Assert.Equal(31, sparkline.Count);
        Assert.All(sparkline, s => Assert.Equal(10, s.FiguresOf(_ => true).RequestsPerSecond, 6));
    }

    [Fact]
    public void DurationHistogram_IsReadCumulativePerVersion()
    {
        var ledger = Steady(TimeSpan.FromMinutes(2));

        var sample = Assert.Single(ledger.ReadService("destination", "shop", "cart", TimeSpan.FromMinutes(1), Start.AddMinutes(2), TimeSpan.Zero, TimeSpan.FromSeconds(1)));

        // Every request took 20 ms: nothing at or below 10 ms, all ten a second from the 25 ms bucket up to +Inf.
        Assert.DoesNotContain(sample.Buckets, b => b.UpperBound <= 10);
        Assert.All(sample.Buckets, b => Assert.Equal(("v1", 10.0), (b.Version, Math.Round(b.PerSecond, 6))));
        Assert.Contains(sample.Buckets, b => double.IsPositiveInfinity(b.UpperBound));
        Assert.InRange(sample.FiguresOf(_ => true).P50Ms!.Value, 10, 25);
    }
}

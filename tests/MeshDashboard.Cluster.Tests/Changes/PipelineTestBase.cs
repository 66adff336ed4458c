using MeshDashboard.Testing;

namespace MeshDashboard.Cluster.Tests.Changes;

/// <summary>A sandbox and the production change path against it, fresh for each test.</summary>
public abstract class PipelineTestBase(TestSandbox sandbox) : IAsyncLifetime
{
    protected PipelineTestBase()
        : this(new TestSandbox())
    {
    }

    protected TestSandbox Sandbox { get; } = sandbox;

    protected PipelineHarness Harness { get; private set; } = null!;

    protected static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        await Sandbox.InitializeAsync();
        Harness = await PipelineHarness.StartAsync(Sandbox);
    }

    public async ValueTask DisposeAsync()
    {
        await Harness.DisposeAsync();
        await Sandbox.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}

using MeshDashboard.Testing;

namespace MeshDashboard.Sandbox.Tests;

/// <summary>
/// The kubectl v1.35 verbs an operator uses beyond get/apply/patch: create of built-in kinds (sent as protobuf),
/// auth can-i, events, get all, leases and server-side apply with its field managers.
/// </summary>
public sealed class KubectlVerbTests : IAsyncLifetime
{
    private readonly TestSandbox _sandbox = new();

    private Kubectl Kubectl => _sandbox.Kubectl;

    public ValueTask InitializeAsync() => _sandbox.InitializeAsync();

    public ValueTask DisposeAsync() => _sandbox.DisposeAsync();

    private const string Applied = """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata:
          name: ssa
          namespace: bookinfo
          labels:
            owner: alice
        spec:
          hosts:
          - ratings
          http:
          - route:
            - destination:
                host: ratings
        """;

    [Fact]
    public async Task CreateNamespaceConfigMapAndSecret_SentAsProtobuf_AreStoredAsSent()
    {
        (await Kubectl.RunAsync("create", "namespace", "team-a")).EnsureSuccess();
        (await Kubectl.RunAsync("create", "configmap", "settings", "-n", "team-a", "--from-literal=mode=fast", "--from-literal=level=3")).EnsureSuccess();
        (await Kubectl.RunAsync("create", "secret", "generic", "token", "-n", "team-a", "--from-literal=password=hunter2")).EnsureSuccess();
        (await Kubectl.RunAsync("create", "serviceaccount", "robot", "-n", "team-a")).EnsureSuccess();

        var phase = (await Kubectl.RunAsync("get", "namespace", "team-a", "-o", "jsonpath={.status.phase}")).EnsureSuccess().Output;
        var data = (await Kubectl.RunAsync("get", "configmap", "settings", "-n", "team-a", "-o", "jsonpath={.data.mode} {.data.level} {.metadata.generateName}")).EnsureSuccess().Output;
        var secret = (await Kubectl.RunAsync("get", "secret", "token", "-n", "team-a", "-o", "jsonpath={.type} {.data.password}")).EnsureSuccess().Output;
        var account = await Kubectl.RunAsync("get", "serviceaccount", "robot", "-n", "team-a");

        Assert.Equal("Active", phase);
        Assert.Equal("fast 3 ", data);
        Assert.Equal("Opaque " + Convert.ToBase64String("hunter2"u8.ToArray()), secret);
        Assert.Equal(0, account.ExitCode);
    }

    [Fact]
    public async Task Get_InTheDefaultNamespaceOfTheKubeconfig_Works()
    {
        var result = await Kubectl.RunAsync("get", "configmaps");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("No resources found in default namespace", result.Error);
    }

    [Fact]
    public async Task AuthCanI_WithTheSandboxToken_AnswersYes()
    {
        var result = await Kubectl.RunAsync("auth", "can-i", "patch", "virtualservices", "-n", "bookinfo");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("yes", result.Output.Trim());
    }

    [Fact]
    public async Task GetEvents_ShowsCoreEventsAndTheirEventsV1View()
    {
        const string coreEvent = """
            apiVersion: v1
            kind: Event
            metadata:
              name: reviews.routing
              namespace: bookinfo
            involvedObject:
              apiVersion: networking.istio.io/v1
              kind: VirtualService
              name: reviews
              namespace: bookinfo
            reason: RoutingChanged
            message: alice moved 20% to v2
            type: Normal
            reportingComponent: meshdashboard
            source:
              component: meshdashboard
            firstTimestamp: "2026-01-01T00:00:00Z"
            lastTimestamp: "2026-01-01T00:00:00Z"
            count: 1
            """;
        (await Kubectl.RunAsync(["create", "-f", "-"], coreEvent)).EnsureSuccess();

        var table = (await Kubectl.RunAsync("get", "events", "-n", "bookinfo")).EnsureSuccess().Output;
        var eventsV1 = (await Kubectl.RunAsync("get", "events.v1.events.k8s.io", "reviews.routing", "-n", "bookinfo",
            "-o", "jsonpath={.note}|{.regarding.name}|{.reportingController}")).EnsureSuccess().Output;

        Assert.Contains("RoutingChanged", table);
        Assert.Contains("virtualservice/reviews", table);
        Assert.Contains("alice moved 20% to v2", table);
        Assert.Equal("alice moved 20% to v2|reviews|meshdashboard", eventsV1);
    }

    [Fact]
    public async Task GetAll_ListsTheKindsInTheAllCategory()
    {
        var output = (await Kubectl.RunAsync("get", "all", "-n", "bookinfo")).EnsureSuccess().Output;

        Assert.Contains("pod/", output);
        Assert.Contains("service/reviews", output);
    }

    [Fact]
    public async Task Leases_CanBeCreatedAndListed()
    {
        const string lease = """
            apiVersion: coordination.k8s.io/v1
            kind: Lease
            metadata:
              name: meshdashboard-leader
              namespace: meshdashboard
            spec:
              holderIdentity: replica-1
              leaseDurationSeconds: 15
            """;
        (await Kubectl.RunAsync(["apply", "-f", "-"], lease)).EnsureSuccess();

        var table = (await Kubectl.RunAsync("get", "leases", "-n", "meshdashboard")).EnsureSuccess().Output;

        Assert.Contains("replica-1", table);
    }

    [Fact]
    public async Task ApplyServerSide_RecordsTheManagerAndATwinApplyChangesNothing()
    {
        (await Kubectl.RunAsync(["apply", "--server-side", "-f", "-"], Applied)).EnsureSuccess();
        var version = (await Kubectl.RunAsync("get", "vs", "ssa", "-n", "bookinfo", "-o", "jsonpath={.metadata.resourceVersion}")).EnsureSuccess().Output;
        (await Kubectl.RunAsync(["apply", "--server-side", "-f", "-"], Applied)).EnsureSuccess();

        var managers = (await Kubectl.RunAsync("get", "vs", "ssa", "-n", "bookinfo", "-o",
            "jsonpath={.metadata.managedFields[*].manager} {.metadata.managedFields[*].operation} {.metadata.resourceVersion}")).EnsureSuccess().Output;
        Assert.Equal($"kubectl Apply {version}", managers);
    }

    [Fact]
    public async Task ApplyServerSide_ByAnotherManagerChangingAnOwnedField_ConflictsUntilForced()
    {
        (await Kubectl.RunAsync(["apply", "--server-side", "-f", "-"], Applied)).EnsureSuccess();
        var changed = Applied.Replace("- ratings\n", "- ratings\n  - ratings.bookinfo.svc.cluster.local\n", StringComparison.Ordinal);

        var refused = await Kubectl.RunAsync(["apply", "--server-side", "--field-manager=bob", "-f", "-"], changed);
        var hostsAfterRefusal = (await Kubectl.RunAsync("get", "vs", "ssa", "-n", "bookinfo", "-o", "jsonpath={.spec.hosts}")).Output;
        (await Kubectl.RunAsync(["apply", "--server-side", "--field-manager=bob", "--force-conflicts", "-f", "-"], changed)).EnsureSuccess();
        var hostsAfterForce = (await Kubectl.RunAsync("get", "vs", "ssa", "-n", "bookinfo", "-o", "jsonpath={.spec.hosts}")).Output;

        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("conflict with \"kubectl\": .spec.hosts", refused.Error);
        Assert.Equal("[\"ratings\"]", hostsAfterRefusal);
        Assert.Equal("[\"ratings\",\"ratings.bookinfo.svc.cluster.local\"]", hostsAfterForce);
    }

    [Fact]
    public async Task ApplyServerSide_LeavingAFieldOut_RemovesItWhenNoOneElseOwnsIt()
    {
        (await Kubectl.RunAsync(["apply", "--server-side", "-f", "-"], Applied)).EnsureSuccess();
        (await Kubectl.RunAsync(["apply", "--server-side", "-f", "-"], Applied.Replace("  labels:\n    owner: alice\n", "", StringComparison.Ordinal))).EnsureSuccess();

        var labels = (await Kubectl.RunAsync("get", "vs", "ssa", "-n", "bookinfo", "-o", "jsonpath={.metadata.labels}")).EnsureSuccess().Output;

        Assert.Equal("", labels);
    }
}

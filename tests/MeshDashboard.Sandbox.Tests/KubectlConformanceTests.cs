using System.Text.Json.Nodes;
using MeshDashboard.Testing;

namespace MeshDashboard.Sandbox.Tests;

/// <summary>A real kubectl (v1.35) against the sandbox: the verbs and answers a Kubernetes API server gives.</summary>
public sealed class KubectlConformanceTests : IAsyncLifetime
{
    private readonly TestSandbox _sandbox = new();

    private Kubectl Kubectl => _sandbox.Kubectl;

    public ValueTask InitializeAsync() => _sandbox.InitializeAsync();

    public ValueTask DisposeAsync() => _sandbox.DisposeAsync();

    private const string RichVirtualService = """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata:
          name: ratings
          namespace: bookinfo
          labels:
            team: ratings
          annotations:
            example.com/owner: ratings-team
        spec:
          hosts:
          - ratings
          exportTo:
          - "."
          http:
          - name: api
            match:
            - uri:
                prefix: /api
              headers:
                x-canary:
                  exact: "true"
            timeout: 10s
            retries:
              attempts: 3
              perTryTimeout: 2s
              retryOn: 5xx,reset
            corsPolicy:
              allowOrigins:
              - exact: https://app.example.com
              allowMethods: [GET, POST]
              maxAge: 24h
            headers:
              request:
                set:
                  x-route: api
            mirror:
              host: ratings-shadow
            mirrorPercentage:
              value: 12.5
            route:
            - destination:
                host: ratings
                subset: v1
                port:
                  number: 9080
              weight: 100
          - name: default
            route:
            - destination:
                host: ratings
        """;

    [Fact]
    public async Task Get_WithShortNames_ListsTheDemoMeshAcrossNamespaces()
    {
        var virtualServices = (await Kubectl.RunAsync("get", "vs", "-A")).EnsureSuccess().Output;
        var destinationRules = (await Kubectl.RunAsync("get", "dr", "-A")).EnsureSuccess().Output;
        var gateways = (await Kubectl.RunAsync("get", "gw", "-A")).EnsureSuccess().Output;

        Assert.Contains("reviews", virtualServices);
        Assert.Contains("myapp-public", virtualServices);
        Assert.Contains("[\"myapp-gateway\"]", virtualServices);
        Assert.Contains("myapp", destinationRules);
        Assert.Contains("myapp-gateway", gateways);
    }

    [Fact]
    public async Task Get_InChunks_ListsTheSamePodsAsOneList()
    {
        var whole = (await Kubectl.RunAsync("get", "pods", "-A", "-o", "name")).EnsureSuccess().Output;
        // -v=6 logs each request kubectl sends: the pages after the first carry the server's continue token.
        var chunkedRun = (await Kubectl.RunAsync("get", "pods", "-A", "-o", "name", "--chunk-size=2", "-v=6")).EnsureSuccess();
        var chunked = chunkedRun.Output;
        Assert.Contains("/api/v1/pods?continue=", chunkedRun.Error, StringComparison.Ordinal);
        var table = (await Kubectl.RunAsync("get", "pods", "-A", "--chunk-size=2", "--no-headers")).EnsureSuccess().Output;

        Assert.True(whole.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length > 2, whole);
        Assert.Equal(whole, chunked);
        Assert.Equal(whole.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length, table.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public async Task Get_OneObjectThroughEveryIstioVersion_ShowsTheSameStoredObject()
    {
        var uids = new List<string>();
        foreach (var version in new[] { "v1", "v1beta1", "v1alpha3" })
        {
            var result = (await Kubectl.RunAsync("get", $"virtualservices.{version}.networking.istio.io", "reviews", "-n", "bookinfo",
                "-o", "jsonpath={.apiVersion} {.metadata.uid}")).EnsureSuccess().Output.Split(' ');
            Assert.Equal($"networking.istio.io/{version}", result[0]);
            uids.Add(result[1]);
        }
        Assert.Single(uids.Distinct());
    }

    [Fact]
    public async Task Apply_ManifestFullOfUnmodeledFields_KeepsSpecByteForByte()
    {
        (await Kubectl.RunAsync(["apply", "-f", "-"], RichVirtualService)).EnsureSuccess();

        var stored = JsonNode.Parse((await Kubectl.RunAsync("get", "vs", "ratings", "-n", "bookinfo", "-o", "json")).EnsureSuccess().Output)!;
        var sent = YamlJson.ParseDocuments(RichVirtualService)[0]!;

        Assert.Equal(CanonicalJson.Of(sent["spec"]), CanonicalJson.Of(stored["spec"]));
        Assert.Equal("ratings-team", (string?)stored["metadata"]!["annotations"]!["example.com/owner"]);
        Assert.Equal("1", stored["metadata"]!["generation"]!.ToString());
    }

    [Fact]
    public async Task Apply_SameManifestTwice_ReportsUnchangedAndKeepsResourceVersion()
    {
        var first = (await Kubectl.RunAsync(["apply", "-f", "-"], RichVirtualService)).EnsureSuccess();
        var version = (await Kubectl.RunAsync("get", "vs", "ratings", "-n", "bookinfo", "-o", "jsonpath={.metadata.resourceVersion}")).Output;
        var second = (await Kubectl.RunAsync(["apply", "-f", "-"], RichVirtualService)).EnsureSuccess();

        Assert.Contains("created", first.Output);
        Assert.Contains("unchanged", second.Output);
        Assert.Equal(version, (await Kubectl.RunAsync("get", "vs", "ratings", "-n", "bookinfo", "-o", "jsonpath={.metadata.resourceVersion}")).Output);
    }

    [Fact]
    public async Task MergePatch_ReplacesTheNamedListAndBumpsGeneration()
    {
        (await Kubectl.RunAsync("patch", "vs", "myapp", "-n", "myapp", "--type", "merge", "-p",
            """{"spec":{"http":[{"name":"canary","route":[{"destination":{"host":"myapp","subset":"v1"},"weight":50},{"destination":{"host":"myapp","subset":"v2"},"weight":50}]}]}}""")).EnsureSuccess();

        var weights = (await Kubectl.RunAsync("get", "vs", "myapp", "-n", "myapp", "-o", "jsonpath={.spec.http[0].route[*].weight} {.metadata.generation}")).EnsureSuccess().Output;
        Assert.Equal("50 50 2", weights);
    }

    [Fact]
    public async Task JsonPatch_WithPassingTest_AppliesTheReplace()
    {
        (await Kubectl.RunAsync("patch", "vs", "myapp", "-n", "myapp", "--type", "json", "-p",
            """[{"op":"test","path":"/spec/http/0/route/0/weight","value":25},{"op":"replace","path":"/spec/http/0/route/0/weight","value":40},{"op":"replace","path":"/spec/http/0/route/1/weight","value":60}]""")).EnsureSuccess();

        var weights = (await Kubectl.RunAsync("get", "vs", "myapp", "-n", "myapp", "-o", "jsonpath={.spec.http[0].route[*].weight}")).EnsureSuccess().Output;
        Assert.Equal("40 60", weights);
    }

    [Fact]
    public async Task JsonPatch_WithFailingTest_IsRefusedAndChangesNothing()
    {
        var before = (await Kubectl.RunAsync("get", "vs", "myapp", "-n", "myapp", "-o", "json")).EnsureSuccess().Output;

        var result = await Kubectl.RunAsync("patch", "vs", "myapp", "-n", "myapp", "--type", "json", "-p",
            """[{"op":"test","path":"/spec/http/0/route/0/weight","value":99},{"op":"replace","path":"/spec/http/0/route/0/weight","value":1}]""");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("test operation", result.Error);
        Assert.Equal(before, (await Kubectl.RunAsync("get", "vs", "myapp", "-n", "myapp", "-o", "json")).Output);
    }

    [Fact]
    public async Task Replace_WithStaleResourceVersion_AnswersConflict()
    {
        var stale = (await Kubectl.RunAsync("get", "vs", "myapp", "-n", "myapp", "-o", "json")).EnsureSuccess().Output;
        (await Kubectl.RunAsync("label", "vs", "myapp", "-n", "myapp", "touched=yes")).EnsureSuccess();

        var result = await Kubectl.RunAsync(["replace", "-f", "-"], stale);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("Conflict", result.Error);
        Assert.Contains("the object has been modified", result.Error);
    }

    [Fact]
    public async Task DryRunServer_ValidatesButStoresNothing()
    {
        var accepted = await Kubectl.RunAsync(["apply", "--dry-run=server", "-f", "-"], RichVirtualService);
        var lookup = await Kubectl.RunAsync("get", "vs", "ratings", "-n", "bookinfo");
        var refused = await Kubectl.RunAsync(["apply", "--dry-run=server", "-f", "-"], RichVirtualService.Replace("weight: 100", "weight: -5", StringComparison.Ordinal));

        Assert.Equal(0, accepted.ExitCode);
        Assert.Contains("server dry run", accepted.Output);
        Assert.Contains("NotFound", lookup.Error);
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("spec.http[0].route[0].weight", refused.Error);
    }

    [Fact]
    public async Task Watch_ShowsAddedModifiedAndDeletedEvents()
    {
        using var watch = Kubectl.Start(["get", "vs", "-n", "bookinfo", "-w", "--output-watch-events",
            "-o", "custom-columns=EVENT:.type,NAME:.object.metadata.name,HOSTS:.object.spec.hosts"]);
        var lines = new List<string>();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        // kubectl lists first, then watches from the list's resourceVersion: once the listed object is
        // printed, every later change reaches the watch.
        while (!lines.Any(l => l.Contains("reviews", StringComparison.Ordinal)))
        {
            lines.Add(await watch.StandardOutput.ReadLineAsync(timeout.Token) ?? "");
        }
        lines.Clear();

        (await Kubectl.RunAsync(["apply", "-f", "-"], RichVirtualService)).EnsureSuccess();
        (await Kubectl.RunAsync("patch", "vs", "ratings", "-n", "bookinfo", "--type", "merge", "-p", """{"spec":{"hosts":["ratings","ratings.bookinfo.svc.cluster.local"]}}""")).EnsureSuccess();
        (await Kubectl.RunAsync("delete", "vs", "ratings", "-n", "bookinfo")).EnsureSuccess();

        while (!lines.Any(l => l.StartsWith("DELETED", StringComparison.Ordinal)))
        {
            lines.Add(await watch.StandardOutput.ReadLineAsync(timeout.Token) ?? throw new InvalidOperationException("watch ended early: " + string.Join('\n', lines)));
        }
        watch.Kill();

        var events = lines.Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList();
        Assert.Equal(["ADDED", "MODIFIED", "DELETED"], events.Select(e => e[0]));
        Assert.All(events, e => Assert.Equal("ratings", e[1]));
        Assert.Contains("ratings.bookinfo.svc.cluster.local", lines[1]);
    }

    [Fact]
    public async Task Delete_RemovesTheObject()
    {
        (await Kubectl.RunAsync("delete", "gw", "myapp-gateway", "-n", "myapp")).EnsureSuccess();

        var lookup = await Kubectl.RunAsync("get", "gw", "myapp-gateway", "-n", "myapp");
        Assert.NotEqual(0, lookup.ExitCode);
        Assert.Contains("NotFound", lookup.Error);
    }

    [Fact]
    public async Task Apply_GatewayInTheBlogPostsShape_IsRefusedNamingTheFields()
    {
        const string blogGateway = """
            apiVersion: networking.istio.io/v1alpha3
            kind: Gateway
            metadata:
              name: blog-gateway
              namespace: myapp
            spec:
              selector:
                istio: ingressgateway
              servers:
              - Port:
                  number: 80
                  name: http
                  protocol: HTTP
              hosts:
              - "*"
            """;

        var strict = await Kubectl.RunAsync(["apply", "-f", "-"], blogGateway);
        var lenient = await Kubectl.RunAsync(["apply", "--validate=false", "-f", "-"], blogGateway);

        Assert.NotEqual(0, strict.ExitCode);
        Assert.Contains("unknown field \"spec.servers[0].Port\"", strict.Error);
        Assert.Contains("unknown field \"spec.hosts\"", strict.Error);
        // Without strict field validation the unknown fields are pruned, and the CRD's schema refuses what is left:
        // a server needs a port (Istio's CRD lists port and hosts as required).
        Assert.NotEqual(0, lenient.ExitCode);
        Assert.Contains("spec.servers[0].port: Required value", lenient.Error);
    }

    [Theory]
    [InlineData("abort", """{"abort":{"percentage":{"value":50},"httpStatus":700}}""", "spec.http[0].fault.abort.httpStatus")]
    [InlineData("percentage", """{"abort":{"percentage":{"value":150},"httpStatus":503}}""", "spec.http[0].fault.abort.percentage.value")]
    [InlineData("delay", """{"delay":{"percentage":{"value":10},"fixedDelay":"soon"}}""", "spec.http[0].fault.delay.fixedDelay")]
    public async Task Patch_WithInvalidFault_IsRefusedNamingTheField(string _, string fault, string field)
    {
        var result = await Kubectl.RunAsync("patch", "vs", "reviews", "-n", "bookinfo", "--type", "json", "-p",
            $$"""[{"op":"replace","path":"/spec/http/0/fault","value":{{fault}}}]""");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(field, result.Error);
    }

    [Fact]
    public async Task Restart_KeepsEveryEditAndContinuesTheResourceVersion()
    {
        (await Kubectl.RunAsync(["apply", "-f", "-"], RichVirtualService)).EnsureSuccess();
        var before = (await Kubectl.RunAsync("get", "vs", "ratings", "-n", "bookinfo", "-o", "json")).EnsureSuccess().Output;

        await _sandbox.RestartAsync();

        var after = (await Kubectl.RunAsync("get", "vs", "ratings", "-n", "bookinfo", "-o", "json")).EnsureSuccess().Output;
        Assert.Equal(before, after);
        (await Kubectl.RunAsync("label", "vs", "ratings", "-n", "bookinfo", "after=restart")).EnsureSuccess();
        var version = long.Parse((await Kubectl.RunAsync("get", "vs", "ratings", "-n", "bookinfo", "-o", "jsonpath={.metadata.resourceVersion}")).Output, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(version > long.Parse((string)JsonNode.Parse(before)!["metadata"]!["resourceVersion"]!, System.Globalization.CultureInfo.InvariantCulture));
    }
}

using System.Text.Json.Nodes;
using MeshDashboard.Testing;

namespace MeshDashboard.Sandbox.Tests;

/// <summary>
/// CustomResourceDefinitions with a real kubectl v1.35: a CRD applied becomes a served kind, validated by its schema,
/// with its columns, short names and categories; Istio's kinds are served the same way from the sandbox's own CRDs.
/// </summary>
public sealed class CustomResourceTests : IAsyncLifetime
{
    private readonly TestSandbox _sandbox = new();

    private Kubectl Kubectl => _sandbox.Kubectl;

    public ValueTask InitializeAsync() => _sandbox.InitializeAsync();

    public ValueTask DisposeAsync() => _sandbox.DisposeAsync();

    private const string WidgetDefinition = """
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata:
          name: widgets.example.com
        spec:
          group: example.com
          scope: Namespaced
          names:
            kind: Widget
            plural: widgets
            singular: widget
            shortNames: [wdg]
            categories: [gadgets]
          versions:
          - name: v1
            served: true
            storage: true
            subresources:
              status: {}
            additionalPrinterColumns:
            - name: Size
              type: integer
              jsonPath: .spec.size
            - name: Color
              type: string
              jsonPath: .spec.color
            schema:
              openAPIV3Schema:
                type: object
                properties:
                  spec:
                    type: object
                    description: What a widget looks like.
                    required: [size]
                    properties:
                      size: {type: integer, minimum: 1, maximum: 10, description: How big the widget is.}
                      color: {type: string, enum: [red, blue]}
                      code: {type: string, pattern: '^[A-Z]{3}$'}
                      extra: {type: object, x-kubernetes-preserve-unknown-fields: true}
                  status:
                    type: object
                    properties:
                      ready: {type: boolean}
        """;

    private static string Widget(string spec) => $$"""
        apiVersion: example.com/v1
        kind: Widget
        metadata:
          name: gizmo
          namespace: default
        spec: {{spec}}
        """;

    private async Task DefineWidgetsAsync() => (await Kubectl.RunAsync(["apply", "-f", "-"], WidgetDefinition)).EnsureSuccess();

    [Fact]
    public async Task ApplyDefinitionThenObject_ServesTheKindWithItsColumnsShortNameAndCategory()
    {
        await DefineWidgetsAsync();
        (await Kubectl.RunAsync(["apply", "-f", "-"], Widget("{size: 3, color: red, extra: {anything: [1, 2]}}"))).EnsureSuccess();

        var table = (await Kubectl.RunAsync("get", "wdg")).EnsureSuccess().Output;
        var category = (await Kubectl.RunAsync("get", "gadgets", "-o", "name")).EnsureSuccess().Output;
        var established = (await Kubectl.RunAsync("get", "crd", "widgets.example.com", "-o", "jsonpath={.status.conditions[?(@.type==\"Established\")].status}")).EnsureSuccess().Output;
        var extra = (await Kubectl.RunAsync("get", "widget", "gizmo", "-o", "jsonpath={.spec.extra.anything}")).EnsureSuccess().Output;

        Assert.Matches(@"NAME\s+SIZE\s+COLOR", table);
        Assert.Matches(@"gizmo\s+3\s+red", table);
        Assert.Equal("widget.example.com/gizmo", category.Trim());
        Assert.Equal("True", established);
        Assert.Equal("[1,2]", extra);
    }

    [Theory]
    [InlineData("{size: 20}", "spec.size: Invalid value: 20: spec.size in body should be less than or equal to 10")]
    [InlineData("{size: 2, color: green}", "spec.color: Unsupported value: \"green\": supported values: \"red\", \"blue\"")]
    [InlineData("{color: red}", "spec.size: Required value")]
    [InlineData("{size: two}", "spec.size in body must be of type integer")]
    [InlineData("{size: 2, code: abc}", "spec.code in body should match '^[A-Z]{3}$'")]
    public async Task Apply_OfAnObjectItsSchemaRefuses_IsInvalidNamingTheField(string spec, string message)
    {
        await DefineWidgetsAsync();

        var result = await Kubectl.RunAsync(["apply", "-f", "-"], Widget(spec));

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("The Widget \"gizmo\" is invalid", result.Error);
        Assert.Contains(message, result.Error);
    }

    [Fact]
    public async Task UnknownField_IsRefusedUnderStrictValidationAndPrunedOtherwise()
    {
        await DefineWidgetsAsync();

        var strict = await Kubectl.RunAsync(["apply", "-f", "-"], Widget("{size: 2, shape: round}"));
        var lenient = (await Kubectl.RunAsync(["apply", "--validate=warn", "-f", "-"], Widget("{size: 2, shape: round}"))).EnsureSuccess();
        var spec = (await Kubectl.RunAsync("get", "widget", "gizmo", "-o", "jsonpath={.spec}")).EnsureSuccess().Output;

        Assert.NotEqual(0, strict.ExitCode);
        Assert.Contains("unknown field \"spec.shape\"", strict.Error);
        Assert.Contains("unknown field \"spec.shape\"", lenient.Error);
        Assert.Equal("{\"size\":2}", spec);
    }

    [Fact]
    public async Task Status_IsWrittenOnlyThroughTheStatusSubresource()
    {
        await DefineWidgetsAsync();
        (await Kubectl.RunAsync(["apply", "-f", "-"], Widget("{size: 2}"))).EnsureSuccess();

        (await Kubectl.RunAsync("patch", "widget", "gizmo", "--type=merge", "-p", """{"status":{"ready":true}}""")).EnsureSuccess();
        var afterMainPatch = (await Kubectl.RunAsync("get", "widget", "gizmo", "-o", "jsonpath={.status}")).Output;
        (await Kubectl.RunAsync("patch", "widget", "gizmo", "--subresource=status", "--type=merge", "-p", """{"status":{"ready":true}}""")).EnsureSuccess();
        var afterStatusPatch = (await Kubectl.RunAsync("get", "widget", "gizmo", "-o", "jsonpath={.status.ready}")).Output;

        Assert.Equal("", afterMainPatch);
        Assert.Equal("true", afterStatusPatch);
    }

    [Fact]
    public async Task DeletingTheDefinition_DeletesItsObjectsAndStopsServingTheKind()
    {
        await DefineWidgetsAsync();
        (await Kubectl.RunAsync(["apply", "-f", "-"], Widget("{size: 2}"))).EnsureSuccess();

        (await Kubectl.RunAsync("delete", "crd", "widgets.example.com")).EnsureSuccess();
        var lookup = await Kubectl.RunAsync("get", "widgets.example.com");
        await DefineWidgetsAsync();
        var afterRedefinition = (await Kubectl.RunAsync("get", "widgets.example.com", "-A", "-o", "name")).EnsureSuccess().Output;

        Assert.NotEqual(0, lookup.ExitCode);
        Assert.Contains("doesn't have a resource type", lookup.Error);
        Assert.Equal("", afterRedefinition.Trim());
    }

    [Fact]
    public async Task ADefinitionWithoutAStorageVersion_IsInvalid()
    {
        var result = await Kubectl.RunAsync(["apply", "-f", "-"], WidgetDefinition.Replace("storage: true", "storage: false", StringComparison.Ordinal));

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("must have exactly one version marked as storage version", result.Error);
    }

    [Fact]
    public async Task AppliedDefinition_SurvivesARestart()
    {
        await DefineWidgetsAsync();
        (await Kubectl.RunAsync(["apply", "-f", "-"], Widget("{size: 4}"))).EnsureSuccess();

        await _sandbox.RestartAsync();

        Assert.Equal("4", (await Kubectl.RunAsync("get", "widget", "gizmo", "-o", "jsonpath={.spec.size}")).EnsureSuccess().Output);
    }

    [Fact]
    public async Task Explain_ReadsTheSchemaOfACustomResource()
    {
        await DefineWidgetsAsync();

        var explained = (await Kubectl.RunAsync("explain", "widget.spec.size")).EnsureSuccess().Output;

        Assert.Contains("How big the widget is.", explained);
    }

    [Fact]
    public async Task ExplainVirtualServiceRoute_ShowsTheFieldsOfARouteDestination()
    {
        var explained = (await Kubectl.RunAsync("explain", "virtualservice.spec.http.route")).EnsureSuccess().Output;

        Assert.Contains("destination", explained);
        Assert.Contains("weight", explained);
        Assert.Contains("networking.istio.io", explained);
    }

    [Fact]
    public async Task ApplyServiceEntry_OfAnExternalApi_IsServedWithItsColumns()
    {
        // The shape of Istio's bookinfo egress sample: an external HTTPS API reached through DNS.
        const string serviceEntry = """
            apiVersion: networking.istio.io/v1
            kind: ServiceEntry
            metadata:
              name: googleapis
              namespace: bookinfo
            spec:
              hosts:
              - www.googleapis.com
              ports:
              - number: 443
                name: https
                protocol: HTTPS
              location: MESH_EXTERNAL
              resolution: DNS
            """;

        (await Kubectl.RunAsync(["apply", "-f", "-"], serviceEntry)).EnsureSuccess();
        var table = (await Kubectl.RunAsync("get", "se", "-n", "bookinfo")).EnsureSuccess().Output;
        var wrongResolution = await Kubectl.RunAsync(["apply", "-f", "-"], serviceEntry.Replace("resolution: DNS", "resolution: DNSX", StringComparison.Ordinal));

        Assert.Matches(@"googleapis\s+\[""www.googleapis.com""\]\s+MESH_EXTERNAL\s+DNS", table);
        Assert.NotEqual(0, wrongResolution.ExitCode);
        Assert.Contains("spec.resolution: Unsupported value: \"DNSX\"", wrongResolution.Error);
    }

    [Fact]
    public async Task GetIstioCategory_ListsTheDemoMeshsIstioObjects()
    {
        var output = (await Kubectl.RunAsync("get", "istio-io", "-A", "-o", "name")).EnsureSuccess().Output;

        Assert.Contains("virtualservice.networking.istio.io/reviews", output);
        Assert.Contains("destinationrule.networking.istio.io/", output);
        Assert.Contains("gateway.networking.istio.io/myapp-gateway", output);
    }

    public static TheoryData<string, string> IstioKinds => new()
    {
        { "VirtualService", "{hosts: [ratings], http: [{route: [{destination: {host: ratings}}]}]}" },
        { "DestinationRule", "{host: ratings, subsets: [{name: v1, labels: {version: v1}}]}" },
        { "Gateway", "{selector: {istio: ingressgateway}, servers: [{port: {number: 80, name: http, protocol: HTTP}, hosts: ['*']}]}" },
        { "ServiceEntry", "{hosts: [api.example.com], ports: [{number: 443, name: https, protocol: HTTPS}], resolution: DNS}" },
        { "Sidecar", "{egress: [{hosts: ['./*', 'istio-system/*']}]}" },
        { "WorkloadEntry", "{address: 10.0.0.7, labels: {app: legacy}}" },
    };

    [Theory]
    [MemberData(nameof(IstioKinds))]
    public async Task EveryServedIstioKind_IsCreatedReadThroughEveryVersionAndDeleted(string kind, string spec)
    {
        var manifest = $$"""
            apiVersion: networking.istio.io/v1alpha3
            kind: {{kind}}
            metadata:
              name: conformance
              namespace: bookinfo
            spec: {{spec}}
            """;
        var plural = kind.ToLowerInvariant() + (kind.EndsWith('y') ? "" : "s");
        plural = kind == "ServiceEntry" ? "serviceentries" : kind == "WorkloadEntry" ? "workloadentries" : plural;

        (await Kubectl.RunAsync(["apply", "-f", "-"], manifest)).EnsureSuccess();
        var uids = new List<string>();
        foreach (var version in new[] { "v1", "v1beta1", "v1alpha3" })
        {
            var read = JsonNode.Parse((await Kubectl.RunAsync("get", $"{plural}.{version}.networking.istio.io", "conformance", "-n", "bookinfo", "-o", "json")).EnsureSuccess().Output)!;
            Assert.Equal($"networking.istio.io/{version}", (string?)read["apiVersion"]);
            uids.Add((string)read["metadata"]!["uid"]!);
        }
        (await Kubectl.RunAsync("delete", $"{plural}.networking.istio.io", "conformance", "-n", "bookinfo")).EnsureSuccess();

        Assert.Single(uids.Distinct());
        Assert.NotEqual(0, (await Kubectl.RunAsync("get", $"{plural}.networking.istio.io", "conformance", "-n", "bookinfo")).ExitCode);
    }
}

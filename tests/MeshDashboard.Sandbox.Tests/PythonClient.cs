using System.Diagnostics;
using System.Text.Json.Nodes;

namespace MeshDashboard.Sandbox.Tests;

/// <summary>
/// Runs a small Python script of ours with Debian's python3-kubernetes (a client we did not write) against a sandbox:
/// the script gets the kubeconfig's path as its argument and prints one JSON document, which the test reads.
/// </summary>
internal static class PythonClient
{
    public const string Interpreter = "/usr/bin/python3";

    private const string Prelude = """
        import json, sys
        from kubernetes import client, config, watch
        from kubernetes.client.rest import ApiException
        config.load_kube_config(config_file=sys.argv[1])
        core = client.CoreV1Api()
        custom = client.CustomObjectsApi()

        def json_patch(path, operations):
            # CustomObjectsApi sends every patch as a merge patch; a JSON patch goes through the client's call_api.
            return client.ApiClient().call_api(path, "PATCH", header_params={"Content-Type": "application/json-patch+json", "Accept": "application/json"},
                body=operations, auth_settings=["BearerToken"], response_type="object", _return_http_data_only=True)

        """;

    public static async Task<JsonNode> RunAsync(string kubeconfigPath, string script, CancellationToken cancellation)
    {
        var file = Path.Combine(Path.GetDirectoryName(kubeconfigPath)!, $"script-{Guid.NewGuid():N}.py");
        await File.WriteAllTextAsync(file, Prelude + script, cancellation);
        var info = new ProcessStartInfo(Interpreter)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(file);
        info.ArgumentList.Add(kubeconfigPath);
        using var process = Process.Start(info) ?? throw new InvalidOperationException("python3 did not start");
        var output = process.StandardOutput.ReadToEndAsync(cancellation);
        var error = process.StandardError.ReadToEndAsync(cancellation);
        await process.WaitForExitAsync(cancellation);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"python3 failed ({process.ExitCode}): {await error}{await output}");
        }
        return JsonNode.Parse(await output) ?? throw new InvalidOperationException("the script printed no JSON");
    }
}

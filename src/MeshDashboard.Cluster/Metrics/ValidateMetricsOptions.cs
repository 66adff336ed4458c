using Microsoft.Extensions.Options;

namespace MeshDashboard.Cluster.Metrics;

/// <summary>Checks the <c>Metrics</c> section once at start, so a typo stops the dashboard instead of showing "no data" forever.</summary>
internal sealed class ValidateMetricsOptions : IValidateOptions<MetricsOptions>
{
    public ValidateOptionsResult Validate(string? name, MetricsOptions options)
    {
        var errors = new List<string>();
        if (options.PrometheusUrl is { Length: > 0 } url
            && (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || !string.IsNullOrEmpty(uri.Query)))
        {
            errors.Add($"Metrics:PrometheusUrl must be an absolute http or https URL without a query (got '{url}').");
        }
        var bearer = !string.IsNullOrEmpty(options.BearerToken) || !string.IsNullOrEmpty(options.BearerTokenFile);
        var basic = !string.IsNullOrEmpty(options.Username) || !string.IsNullOrEmpty(options.Password);
        if (bearer && basic)
        {
            errors.Add("Metrics: set either a bearer token (BearerToken/BearerTokenFile) or basic auth (Username/Password), not both.");
        }
        if (!string.IsNullOrEmpty(options.BearerToken) && !string.IsNullOrEmpty(options.BearerTokenFile))
        {
            errors.Add("Metrics: set BearerToken or BearerTokenFile, not both.");
        }
        if (basic && (string.IsNullOrEmpty(options.Username) || options.Password is null))
        {
            errors.Add("Metrics: basic auth needs both Username and Password.");
        }
        if (options.BearerTokenFile is { Length: > 0 } tokenFile && !File.Exists(tokenFile))
        {
            errors.Add($"Metrics:BearerTokenFile '{tokenFile}' does not exist.");
        }
        if (options.CaFile is { Length: > 0 } caFile && !File.Exists(caFile))
        {
            errors.Add($"Metrics:CaFile '{caFile}' does not exist.");
        }
        if (options.Reporter is not ("destination" or "source"))
        {
            errors.Add($"Metrics:Reporter must be 'destination' or 'source' (got '{options.Reporter}').");
        }
        if (options.RefreshInterval < TimeSpan.FromSeconds(1))
        {
            errors.Add("Metrics:RefreshInterval must be at least 1 second.");
        }
        if (options.QueryTimeout <= TimeSpan.Zero)
        {
            errors.Add("Metrics:QueryTimeout must be positive.");
        }
        if (options.MaxServicesPerRefresh < 1)
        {
            errors.Add("Metrics:MaxServicesPerRefresh must be at least 1.");
        }
        if (options.SeriesStep < TimeSpan.FromSeconds(1) || options.SeriesRange < options.SeriesStep || options.SeriesRange.TotalSeconds / options.SeriesStep.TotalSeconds > 1000)
        {
            errors.Add("Metrics:SeriesStep must be at least 1 second, and SeriesRange at least one step and at most 1000 steps.");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}

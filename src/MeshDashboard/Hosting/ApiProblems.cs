namespace MeshDashboard.Hosting;

/// <summary>
/// Every refusal of the automation API is <c>application/problem+json</c>, whoever refuses: routing (404 unknown path,
/// 405 wrong method, 415 media type), Kestrel's limits met while reading the body (413), authorization, and unhandled
/// exceptions (500 with the trace id, never the exception's text). Pages keep the HTML error page.
/// </summary>
public static class ApiProblems
{
    /// <summary>Registered after the page exception handler, so for /api requests this handler is the one that catches.</summary>
    public static IApplicationBuilder UseApiProblems(this IApplicationBuilder app) =>
        app.UseWhen(context => context.Request.Path.StartsWithSegments("/api"), api =>
        {
            // No handling path: the page handler re-executes /error with the request's method, which answered a PUT
            // with an empty 405. Without one, the middleware writes through IProblemDetailsService (AddProblemDetails),
            // in Development too, so automation sees the same answer everywhere.
            api.UseExceptionHandler(new ExceptionHandlerOptions
            {
                StatusCodeSelector = error => error is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError,
            });
            // Answers without a body (routing's 404, 405 and 415, a bare 401 or 403) get a problem body.
            api.UseStatusCodePages();
        });
}

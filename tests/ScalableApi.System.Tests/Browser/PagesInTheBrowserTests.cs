using PuppeteerSharp;
using Xunit.Abstractions;

namespace ScalableApi.System.Tests.Browser;

/// <summary>
/// Issue 16, acceptance 3: what a person sees in a real browser. The dashboard against a gateway with two replicas
/// of each service: sign in, both catalog destinations healthy, the request figures moving with traffic, a killed
/// replica shown unhealthy within 10 s, no console errors (CSP violations included); and /docs listing every route.
/// Its own topology, since a killed replica stays registered until its TTL runs out.
/// </summary>
public sealed class PagesInTheBrowserTests(SystemTopology topology, ITestOutputHelper output) : IClassFixture<SystemTopology>
{
    private const string CatalogRows = "[...document.querySelectorAll('#destinations tbody tr')].filter(r => r.cells[0].textContent === 'catalog')";

    [Fact]
    public async Task The_dashboard_shows_the_live_gateway_and_a_killed_replica_turning_unhealthy()
    {
        var client = topology.GatewayClient;
        var admin = await client.AdminAsync();
        await using var browser = await HeadlessChromium.LaunchAsync();
        await using var page = await browser.NewPageAsync();
        var errors = CollectErrors(page);
        await page.SetViewportAsync(new ViewPortOptions { Width = 1280, Height = 800 });

        await page.GoToAsync(new Uri(topology.GatewayAddress, "/dashboard").ToString(), WaitUntilNavigation.Load);
        await page.WaitForSelectorAsync("#sign-in-form input[name=email]", new WaitForSelectorOptions { Visible = true });
        await page.TypeAsync("#sign-in-form input[name=email]", SystemTopologyOptions.AdminEmail);
        await page.TypeAsync("#sign-in-form input[name=password]", GatewayApi.Password);
        await page.ClickAsync("#sign-in-form button[type=submit]");

        await WaitAsync(page, $"{CatalogRows}.length === 2 && {CatalogRows}.every(r => r.cells[5].textContent === 'healthy')", "both catalog destinations listed healthy");
        Assert.Equal("live", await page.EvaluateExpressionAsync<string>("document.getElementById('status').textContent"));

        // The request figures move with traffic.
        var before = await MinuteRequestsAsync(page);
        for (var i = 0; i < 30; i++)
        {
            using var read = await client.GetAsync("/api/products?limit=1");
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        }

        await WaitAsync(page, $"Number(document.getElementById('minute-requests').textContent) >= {before + 30}", "the minute's requests counting the 30 reads");
        Assert.True(await page.EvaluateExpressionAsync<bool>("document.querySelectorAll('#chart-requests canvas').length > 0"), "no req/s chart drawn");

        // Cached traffic: the anonymous reads above were edge-cache hits after the first; reads with a cookie bypass
        // the edge (signed-in ones without one may be edge hits too) and meet the catalog's own cache levels; an import
        // puts a job on the queue. The scrape of the services' /metrics (every Gateway:Dashboard:ScrapeInterval)
        // brings their figures to the page.
        for (var i = 0; i < 10; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/products?limit=1");
            request.Headers.Add("Cookie", "bypass=edge-cache");
            using var read = await client.SendAsync(request);
            await read.ExpectAsync(HttpStatusCode.OK);
        }

        await client.ImportAsync(admin, JobsApi.Ndjson("dashboard" + Guid.NewGuid().ToString("N")[..8], 3));

        // 29 of the 30 anonymous reads of one page were edge hits; of the 10 with a cookie, all but each replica's
        // first met the catalog's memory level. Percentages above zero, as a person reads them.
        await WaitAsync(page, Percentage("Gateway edge cache"), "the edge cache's hit ratio above 0 %", seconds: 20);
        await WaitAsync(page, $"{Percentage("Services L1 (memory)")} && {Percentage("Services overall")}", "the services' cache hit ratios (L1 and overall) above 0 %", seconds: 20);
        var jobFigures = string.Join(" && ", ((string[])["Queued (depth)", "Running", "Dead"]).Select(name => $"/^\\d+ jobs$/.test({Figure("jobs", name)})"));
        await WaitAsync(page, jobFigures, "the job queue's queued, running and dead jobs", seconds: 20);
        await WaitAsync(page, "[...document.querySelectorAll('#routes tbody tr')].some(r => r.cells[0].textContent === 'GET /api/products/{**rest}' && Number(r.cells[1].textContent) >= 40)", "the products route with the 40 reads in the top routes");

        await AssertReadableAsync(page, "1280×800");
        await page.ScreenshotAsync(HeadlessChromium.ScreenshotPath(topology.Directory, "dashboard.png"), new ScreenshotOptions { FullPage = true });
        await page.SetViewportAsync(new ViewPortOptions { Width = 390, Height = 844, IsMobile = true });
        await AssertReadableAsync(page, "390×844");
        await page.ScreenshotAsync(HeadlessChromium.ScreenshotPath(topology.Directory, "dashboard-phone.png"), new ScreenshotOptions { FullPage = true });
        await page.SetViewportAsync(new ViewPortOptions { Width = 1280, Height = 800 });

        // A killed replica: the proxy's health (passive on the failed attempts, active within its interval) shows it.
        var victim = topology.ReplicasOf(SystemTopology.Catalog)[0];
        var destination = await topology.DestinationIdAsync(victim) ?? throw new InvalidOperationException($"the gateway does not know {victim}");
        topology.KillReplica(victim);
        using var stopTraffic = new CancellationTokenSource();
        var traffic = KeepReadingAsync(client, stopTraffic.Token);
        try
        {
            await WaitAsync(page, $"{CatalogRows}.some(r => r.cells[1].textContent === '{destination}' && r.cells[5].textContent === 'unhealthy')", $"{destination} shown unhealthy", seconds: 10);
        }
        finally
        {
            await stopTraffic.CancelAsync();
            await traffic;
        }

        await page.SetViewportAsync(new ViewPortOptions { Width = 390, Height = 844 });
        Assert.True(await page.EvaluateExpressionAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth + 1"), "the page is wider than a 390 px phone");
        Assert.True(errors.Count == 0, "console errors:" + Environment.NewLine + string.Join(Environment.NewLine, errors));
    }

    [Fact]
    public async Task The_docs_page_lists_every_route_of_the_merged_document()
    {
        using var response = await topology.GatewayClient.GetAsync("/openapi/gateway.json");
        var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        var summaries = document.GetProperty("paths").EnumerateObject()
            .SelectMany(p => p.Value.EnumerateObject().Where(o => o.Value.ValueKind == JsonValueKind.Object && o.Value.TryGetProperty("summary", out _)))
            .Select(o => o.Value.GetProperty("summary").GetString()!)
            .ToList();
        Assert.True(summaries.Count >= 28, $"only {summaries.Count} operations{Environment.NewLine}{topology.Tails(10)}");

        await using var browser = await HeadlessChromium.LaunchAsync();
        await using var page = await browser.NewPageAsync();
        var errors = CollectErrors(page);
        await page.SetViewportAsync(new ViewPortOptions { Width = 1280, Height = 800 });
        await page.GoToAsync(new Uri(topology.GatewayAddress, "/docs").ToString(), WaitUntilNavigation.Networkidle0);

        // Scalar renders the sections as they scroll into view: scroll on every poll, then look for every path.
        var paths = JsonSerializer.Serialize(document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList());
        await WaitAsync(page, $"(window.scrollTo(0, document.body.scrollHeight), {paths}.every(p => document.body.textContent.includes(p)))", "every path of the document on the page", seconds: 30);
        Assert.Contains(summaries[0], await page.EvaluateExpressionAsync<string>("document.body.textContent"), StringComparison.Ordinal);
        await page.EvaluateExpressionAsync("window.scrollTo(0, 0)");
        await page.ScreenshotAsync(HeadlessChromium.ScreenshotPath(topology.Directory, "docs.png"));
        Assert.True(errors.Count == 0, "console errors:" + Environment.NewLine + string.Join(Environment.NewLine, errors));
    }

    private readonly List<string> _errors = [];

    private List<string> CollectErrors(IPage page)
    {
        var errors = _errors;
        page.Console += (_, e) =>
        {
            if (e.Message.Type == ConsoleType.Error)
            {
                lock (errors)
                {
                    errors.Add($"{e.Message.Text} ({e.Message.Location?.URL})");
                }
            }
        };
        page.PageError += (_, e) =>
        {
            lock (errors)
            {
                errors.Add(e.Message);
            }
        };
        return errors;
    }

    private async Task WaitAsync(IPage page, string condition, string what, int seconds = 15)
    {
        try
        {
            await page.WaitForFunctionAsync($"() => {{ try {{ return {condition}; }} catch {{ return false; }} }}", new WaitForFunctionOptions { Timeout = seconds * 1000, PollingInterval = 200 });
        }
        catch (WaitTaskTimeoutException)
        {
            var text = await page.EvaluateExpressionAsync<string>("document.body.innerText");
            output.WriteLine(text);
            await page.ScreenshotAsync(HeadlessChromium.ScreenshotPath(topology.Directory, "failed.png"));
            var title = await page.EvaluateExpressionAsync<string>("document.title");
            throw new Xunit.Sdk.XunitException($"not within {seconds} s: {what} (title '{title}', errors: {string.Join(" | ", _errors)}). The page said:{Environment.NewLine}{text[..Math.Min(text.Length, 3000)]}");
        }
    }

    /// <summary>The text shown beside <paramref name="name"/> in the figure list <paramref name="list"/> (a JS expression).</summary>
    private static string Figure(string list, string name) =>
        $"([...document.querySelectorAll('#{list} dt')].find(dt => dt.textContent === '{name}')?.nextElementSibling?.textContent ?? '')";

    /// <summary>A JS test: the cache figure <paramref name="name"/> reads as a percentage above zero ("96.7 %").</summary>
    private static string Percentage(string name) =>
        $"(/^\\d+(\\.\\d)? %$/.test({Figure("caches", name)}) && parseFloat({Figure("caches", name)}) > 0)";

    /// <summary>
    /// What a person at this size can read: nothing wider than the window (no sideways scrolling), and every chart
    /// with a title naming its unit, its legend naming its series, and drawn no wider than its card.
    /// </summary>
    private async Task AssertReadableAsync(IPage page, string size)
    {
        // uPlot redraws on the window's resize event; give it a frame.
        await WaitAsync(page, "[...document.querySelectorAll('section.chart')].every(s => s.querySelector('.uplot').getBoundingClientRect().width <= s.clientWidth)", $"the charts fitting their cards at {size}", seconds: 5);
        var overflow = await page.EvaluateExpressionAsync<int>("document.documentElement.scrollWidth - window.innerWidth");
        Assert.True(overflow <= 1, $"at {size} the page is {overflow} px wider than the window");
        var charts = await page.EvaluateExpressionAsync<string[]>(
            "[...document.querySelectorAll('section.chart')].map(s => s.querySelector('h2').textContent + ' | ' + [...s.querySelectorAll('.u-legend .u-series:not(:first-child) .u-label')].map(l => l.textContent).join(', '))");
        var hidden = await page.EvaluateExpressionAsync<int>(
            "[...document.querySelectorAll('#destinations tbody tr')].filter(r => r.cells[5].getBoundingClientRect().right > r.closest('section').getBoundingClientRect().right).length");
        Assert.True(hidden == 0, $"at {size} the state of {hidden} destinations is off the card (scrolled out of sight)");
        Assert.Equal(3, charts.Length);
        Assert.All(charts, c => Assert.Matches(@"^\S.* \((req/s|responses/s|ms)\) \| \S", c));
    }

    private static async Task<long> MinuteRequestsAsync(IPage page) =>
        long.TryParse(await page.EvaluateExpressionAsync<string>("document.getElementById('minute-requests').textContent"), out var n) ? n : 0;

    private static async Task KeepReadingAsync(HttpClient client, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                // A cookie makes the gateway's edge cache bypass the read (a personal request): served from the
                // edge, the read would never reach the dead replica, and passive health would never mark it.
                using var request = new HttpRequestMessage(HttpMethod.Get, "/api/products?limit=1");
                request.Headers.Add("Cookie", "bypass=edge-cache");
                using var response = await client.SendAsync(request, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (HttpRequestException)
            {
                // The point is to reach the dead replica; a failure here is the gateway's to absorb, not this loop's.
            }
        }
    }
}

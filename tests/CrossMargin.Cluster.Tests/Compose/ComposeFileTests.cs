namespace CrossMargin.Cluster.Tests.Compose;

/// <summary>
/// docker-compose.yml and the Dockerfile, checked structurally (these machines have no Docker engine): the services
/// the README promises, a PostgreSQL healthcheck the others wait for, a node service that can be scaled, and an image
/// that publishes the CLI with the cluster node in it.
/// </summary>
public sealed class ComposeFileTests
{
    private static readonly Lazy<Dictionary<string, object?>> Compose = new(() =>
        (Dictionary<string, object?>)MiniYaml.Parse(File.ReadAllText(Path.Combine(RepoRoot.Path, "docker-compose.yml")))!);

    private static Dictionary<string, object?> Service(string name)
    {
        var services = Map(Compose.Value, "services");
        Assert.True(services.ContainsKey(name), $"docker-compose.yml has no service '{name}' (has {string.Join(", ", services.Keys)})");
        return (Dictionary<string, object?>)services[name]!;
    }

    private static Dictionary<string, object?> Map(Dictionary<string, object?> parent, string key)
    {
        Assert.True(parent.TryGetValue(key, out var value) && value is Dictionary<string, object?>, $"'{key}' is missing or not a mapping");
        return (Dictionary<string, object?>)value!;
    }

    private static List<string> Strings(object? value) =>
        value switch
        {
            List<object?> list => list.Select(v => Assert.IsType<string>(v)).ToList(),
            string s => [.. s.Split(' ', StringSplitOptions.RemoveEmptyEntries)],
            _ => [],
        };

    [Fact]
    public void Compose_file_should_define_postgres_node_and_loadgen()
    {
        var services = Map(Compose.Value, "services");
        Assert.Equal(["loadgen", "node", "postgres"], services.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Postgres_should_have_a_pg_isready_healthcheck()
    {
        var health = Map(Service("postgres"), "healthcheck");
        var test = Strings(health["test"]);
        Assert.Contains(test, t => t.Contains("pg_isready", StringComparison.Ordinal));
        Assert.True(health.ContainsKey("interval") && health.ContainsKey("retries"), "the healthcheck needs an interval and retries");
    }

    [Fact]
    public void Postgres_should_end_sessions_left_idle_in_a_transaction()
    {
        // A frozen node's open transaction would otherwise hold lease-row locks and stall every takeover.
        Assert.Contains(Strings(Service("postgres")["command"]), a => a.StartsWith("idle_in_transaction_session_timeout=", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("node")]
    [InlineData("loadgen")]
    public void Engine_services_should_wait_for_a_healthy_postgres(string service)
    {
        var postgres = Map(Map(Service(service), "depends_on"), "postgres");
        Assert.Equal("service_healthy", postgres["condition"]);
    }

    [Fact]
    public void Node_should_be_scalable_with_no_fixed_name_or_published_port()
    {
        var node = Service("node");
        Assert.False(node.ContainsKey("container_name"), "a fixed container_name prevents --scale node=3");
        Assert.False(node.ContainsKey("ports"), "a published port clashes between replicas under --scale node=3");
        Assert.Equal(["node"], Strings(node["command"]));
        Assert.Equal("SIGTERM", node["stop_signal"]);
    }

    [Theory]
    [InlineData("node")]
    [InlineData("loadgen")]
    public void Engine_services_should_reach_postgres_by_its_service_name(string service)
    {
        var environment = Map(Service(service), "environment");
        var connection = Assert.IsType<string>(environment["CROSSMARGIN_CLUSTER_CONNECTION"]);
        Assert.Contains("Host=postgres", connection, StringComparison.Ordinal);
        Assert.Equal("64", environment["CROSSMARGIN_SHARD_COUNT"]);
    }

    [Fact]
    public void Loadgen_should_run_the_cluster_loadgen_command()
    {
        var command = Strings(Service("loadgen")["command"]);
        Assert.Equal(["cluster", "loadgen"], command.Take(2));
    }

    [Fact]
    public void Dockerfile_should_build_with_the_sdk_and_run_on_the_runtime_image()
    {
        var lines = File.ReadAllLines(Path.Combine(RepoRoot.Path, "Dockerfile")).Select(l => l.Trim()).ToList();
        var from = lines.Where(l => l.StartsWith("FROM ", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, from.Count);
        Assert.Contains("dotnet/sdk:10.0", from[0], StringComparison.Ordinal);
        Assert.Contains("dotnet/runtime:10.0", from[1], StringComparison.Ordinal);
        Assert.Contains(lines, l => l.StartsWith("RUN dotnet publish src/CrossMargin.Cli", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("ENTRYPOINT", StringComparison.Ordinal) && l.Contains("crossmargin.dll", StringComparison.Ordinal));
    }

    [Fact]
    public void Published_cli_should_carry_the_cluster_project()
    {
        // The image publishes only src/CrossMargin.Cli: the node and cluster commands must come in through its references.
        var csproj = File.ReadAllText(Path.Combine(RepoRoot.Path, "src", "CrossMargin.Cli", "CrossMargin.Cli.csproj"));
        Assert.Contains("CrossMargin.Cluster.csproj", csproj, StringComparison.Ordinal);
    }

    [Fact]
    public void Mini_yaml_should_refuse_what_it_cannot_read_with_the_line_number()
    {
        var e = Assert.Throws<FormatException>(() => MiniYaml.Parse("a: 1\nb: &anchor\n  c: 2\n"));
        Assert.StartsWith("line 2:", e.Message, StringComparison.Ordinal);
    }
}

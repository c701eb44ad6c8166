namespace CrossMargin.Engine.Market;

/// <summary>
/// How book depth thins under stress: <c>depthFactor = 1 − (1 − Floor)·min(1, drawdown/DrawdownAtFloor + liquidated/LiquidationVolumeAtFloor)</c>,
/// where drawdown and liquidated volume are measured over the trailing <paramref name="Window"/>.
/// </summary>
/// <param name="Floor">Depth factor at full stress, in (0, 1]; 2025-10-10's −1% BTC bid depth fell to about 1% of its median (see <see cref="Feeds.DepthCalibration"/>).</param>
/// <param name="DrawdownAtFloor">Fall from the window's high (as a fraction, 0.15 = 15%) at which depth reaches the floor.</param>
/// <param name="LiquidationVolumeAtFloor">Liquidated base quantity within the window at which depth reaches the floor.</param>
/// <param name="Window">Trailing window for the high and the liquidated volume.</param>
public sealed record DepthThinningParameters(
    decimal Floor,
    decimal DrawdownAtFloor,
    decimal LiquidationVolumeAtFloor,
    TimeSpan Window)
{
    /// <summary>No thinning at all: the depth factor is always 1.</summary>
    public static DepthThinningParameters None { get; } = new(1m, 1m, decimal.MaxValue, TimeSpan.FromHours(1));

    /// <summary>Throws when a parameter is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The named parameter is out of range.</exception>
    public void Validate()
    {
        if (Floor <= 0 || Floor > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Floor), Floor, "Depth floor must be in (0, 1].");
        }

        if (DrawdownAtFloor <= 0 || DrawdownAtFloor > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(DrawdownAtFloor), DrawdownAtFloor, "Drawdown at floor must be in (0, 1].");
        }

        if (LiquidationVolumeAtFloor <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(LiquidationVolumeAtFloor), LiquidationVolumeAtFloor, "Liquidation volume at floor must be positive.");
        }

        if (Window <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(Window), Window, "Window must be positive.");
        }
    }
}

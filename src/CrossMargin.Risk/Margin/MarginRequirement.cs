namespace CrossMargin.Risk.Margin;

/// <summary>
/// Requirement of one position in its settlement asset: maintenance (MM) and initial (IM) margin, the maintenance
/// rate applied and the bracket used (0-based; 0 for rules without brackets).
/// </summary>
public readonly record struct MarginRequirement(decimal Maintenance, decimal Initial, decimal MaintenanceRate, decimal Cum, int Bracket);

/** How serious a finding is, lowest first. */

export type Severity = 'info' | 'low' | 'medium' | 'high' | 'critical';

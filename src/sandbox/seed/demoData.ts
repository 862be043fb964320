/** The demo org's records as plain data, so that tests can name what the seed holds without copying it. */

export interface DemoAccount {
  readonly name: string;
  readonly accountNumber: string | null;
  readonly industry: string;
  readonly type: string;
  readonly city: string;
  readonly country: string;
}

const account = (name: string, accountNumber: string | null, industry: string, type: string, city: string, country: string): DemoAccount => ({
  name,
  accountNumber,
  industry,
  type,
  city,
  country,
});

const numbered = (n: number): string => `ACC-${10000 + n}`;

/** The account number two Accounts share, so that routing by it is ambiguous. */
export const DEMO_DUPLICATE_ACCOUNT_NUMBER = numbered(2);

export const DEMO_ACCOUNTS: ReadonlyArray<DemoAccount> = [
  account('Northwind Traders', numbered(1), 'Retail', 'Customer', 'Seattle', 'United States'),
  account('Contoso Manufacturing', numbered(2), 'Manufacturing', 'Customer', 'Chicago', 'United States'),
  account('Fabrikam Logistics', numbered(3), 'Logistics', 'Customer', 'Rotterdam', 'Netherlands'),
  account('Adventure Works Cycles', numbered(4), 'Retail', 'Customer', 'Bothell', 'United States'),
  account('Tailspin Energy', numbered(5), 'Energy', 'Customer', 'Houston', 'United States'),
  account('Litware Health', numbered(6), 'Healthcare', 'Customer', 'Boston', 'United States'),
  account("O'Brien & Sons Freight", numbered(7), 'Logistics', 'Customer', 'Dublin', 'Ireland'),
  account('Proseware Technologies', numbered(8), 'Technology', 'Partner', 'Austin', 'United States'),
  account('Wide World Importers', numbered(9), 'Retail', 'Customer', 'San Francisco', 'United States'),
  account('Blue Yonder Air Cargo', numbered(10), 'Logistics', 'Customer', 'Atlanta', 'United States'),
  account('Coho Winery Supplies', numbered(11), 'Retail', 'Supplier', 'Napa', 'United States'),
  account('Alpine Ski House', numbered(12), 'Retail', 'Customer', 'Innsbruck', 'Austria'),
  account("Margie's Travel Gear", numbered(13), 'Retail', 'Customer', 'Denver', 'United States'),
  account('Woodgrove Medical Devices', numbered(14), 'Healthcare', 'Customer', 'Minneapolis', 'United States'),
  account('Trey Research', numbered(15), 'Technology', 'Partner', 'Cambridge', 'United Kingdom'),
  account('Lucerne Publishing', numbered(16), 'Technology', 'Customer', 'Lucerne', 'Switzerland'),
  account('Humongous Insurance Logistics', numbered(17), 'Logistics', 'Customer', 'Hartford', 'United States'),
  account('Graphic Design Institute', numbered(18), 'Technology', 'Prospect', 'Toronto', 'Canada'),
  account('Southridge Video', numbered(19), 'Technology', 'Customer', 'Los Angeles', 'United States'),
  account('Fourth Coffee Roasters', numbered(20), 'Retail', 'Customer', 'Portland', 'United States'),
  account('Nordlicht Energie GmbH', numbered(21), 'Energy', 'Customer', 'Hamburg', 'Germany'),
  account('Müller & Töchter Maschinenbau', numbered(22), 'Manufacturing', 'Customer', 'Stuttgart', 'Germany'),
  account('Société Lyonnaise de Pièces', numbered(23), 'Manufacturing', 'Supplier', 'Lyon', 'France'),
  account('Baker & Taylor Components', numbered(24), 'Manufacturing', 'Supplier', 'Charlotte', 'United States'),
  account("Smith's Hardware & Tools", numbered(25), 'Retail', 'Customer', 'Leeds', 'United Kingdom'),
  account('Atlas Cold Chain', numbered(26), 'Logistics', 'Customer', 'Memphis', 'United States'),
  account('Helios Solar Farms', numbered(27), 'Energy', 'Customer', 'Seville', 'Spain'),
  account('Meridian Clinics', numbered(28), 'Healthcare', 'Customer', 'Phoenix', 'United States'),
  account('Vertex Robotics', numbered(29), 'Technology', 'Customer', 'Pittsburgh', 'United States'),
  account('Harbor Point Distribution', numbered(30), 'Logistics', 'Customer', 'Long Beach', 'United States'),
  account('Contoso Manufacturing de México', DEMO_DUPLICATE_ACCOUNT_NUMBER, 'Manufacturing', 'Customer', 'Monterrey', 'Mexico'),
  account('Greenfield Prospects Ltd', null, 'Technology', 'Prospect', 'Manchester', 'United Kingdom'),
];

/** Every account number the seed uses, once each (`ACC-10001`…`ACC-10030`). */
export const DEMO_ACCOUNT_NUMBERS: ReadonlyArray<string> = [
  ...new Set(DEMO_ACCOUNTS.flatMap((a) => (a.accountNumber === null ? [] : [a.accountNumber]))),
];

const PRODUCT_FAMILIES = ['Hardware', 'Software', 'Service', 'Spare Parts'] as const;
const PRODUCT_NAMES = [
  'Industrial Pump IP-200',
  'Conveyor Belt Module CB-40',
  'Fleet Tracking Licence',
  'On-site Installation Day',
  'Replacement Impeller 200mm',
  'Pallet Scanner PS-7',
  'Warehouse Analytics Suite',
  'Annual Maintenance Plan',
  'Hydraulic Seal Kit',
  'Cold Storage Sensor CS-3',
  'Route Planner Licence',
  'Operator Training Course',
  'Drive Motor 5.5 kW',
  'Label Printer LP-900',
  'EDI Gateway Licence',
  'Remote Support Hours (10)',
  'Bearing Set 6204',
  'Solar Inverter SI-12',
  'Medical Cart MC-2',
  'Safety Valve 3/4"',
] as const;

export interface DemoProduct {
  readonly name: string;
  readonly code: string;
  readonly family: string;
}

export const DEMO_PRODUCTS: ReadonlyArray<DemoProduct> = PRODUCT_NAMES.map((name, i) => ({
  name,
  code: `PRD-${1001 + i}`,
  family: PRODUCT_FAMILIES[i % PRODUCT_FAMILIES.length] ?? 'Hardware',
}));

export const DEMO_PRODUCT_CODES: ReadonlyArray<string> = DEMO_PRODUCTS.map((p) => p.code);

export const DEMO_ORDER_COUNT = 12;
export const DEMO_PO_NUMBERS: ReadonlyArray<string> = Array.from({ length: DEMO_ORDER_COUNT }, (_, i) => `PO-2026-${String(i + 1).padStart(4, '0')}`);

export const FIRST_NAMES = ['Anna', 'Ben', 'Chloé', 'David', 'Elif', 'Farid', 'Grace', 'Hiro', 'Ines', 'Jonas', 'Kofi', 'Lena', 'Mateo', 'Nora', 'Omar', 'Priya'] as const;
export const LAST_NAMES = ['Fischer', 'García', 'Hughes', 'Ivanova', 'Jensen', 'Kowalski', 'Laurent', 'Moreau', 'Nakamura', 'Okafor', 'Patel', 'Quinn', 'Rossi', 'Schmidt'] as const;

export const OPPORTUNITY_DEALS = ['Annual Supply Agreement', 'Spare Parts Framework', 'Fleet Expansion', 'Service Renewal', 'Pilot Project'] as const;
export const OPPORTUNITY_STAGES = ['Prospecting', 'Proposal', 'Negotiation', 'Closed Won', 'Closed Lost'] as const;

export const CASE_SUBJECTS = [
  'Invoice file missing from FTP drop',
  'Damaged pallet on delivery',
  'Cannot open shipping manifest',
  'Wrong product code on order',
  'Request for certificate of conformity',
  'Late delivery to warehouse',
  'Duplicate invoice received',
  'Portal login problem',
  'Spare part out of stock',
  'Price list for 2026 requested',
  'Customs paperwork incomplete',
  'Return authorisation needed',
] as const;

export const CAMPAIGNS = [
  { name: 'Spring Trade Show 2026', type: 'Trade Show', status: 'Completed', start: '2026-03-10', end: '2026-03-12' },
  { name: 'Cold Chain Webinar Series', type: 'Webinar', status: 'In Progress', start: '2026-04-01', end: '2026-06-30' },
  { name: 'Q2 Spare Parts Mailing', type: 'Email', status: 'In Progress', start: '2026-04-15', end: '2026-05-15' },
  { name: 'Logistics Weekly Print Ad', type: 'Print', status: 'Planned', start: '2026-09-01', end: '2026-09-30' },
  { name: 'Autumn Partner Summit', type: 'Trade Show', status: 'Planned', start: '2026-10-06', end: '2026-10-08' },
] as const;

export const LEADS = [
  { first: 'Sofia', last: 'Berg', company: 'Fjord Freight AS', status: 'Open' },
  { first: 'Tomás', last: "O'Connell", company: 'Shannon Ports Ltd', status: 'Working' },
  { first: 'Ulrike', last: 'Brandt', company: 'Brandt & Kühn Logistik', status: 'Qualified' },
  { first: 'Victor', last: 'Mensah', company: 'Accra Agro Exports', status: 'Unqualified' },
  { first: 'Wen', last: 'Zhao', company: 'Pearl River Components', status: 'Open' },
] as const;

/** The S-Drive sample on the first Account: two folders and one finished file at the root. */
export const DEMO_SDRIVE = {
  accountNumber: numbered(1),
  folders: ['Contracts', 'Photos'],
  file: { name: 'Price list 2026.csv', contentType: 'text/csv' },
} as const;

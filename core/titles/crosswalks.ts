// occ1990dd -> the 13 occupation groups of nlswork (occ_code), so that a title or a code can be put to
// the nlswork model too. nlswork's groups are the major occupation groups of the 1970 Census
// classification (professional/technical, managers, sales, clerical, craftsmen, operatives, transport
// operatives, laborers, farmers, farm laborers, service, private household, other); occ1990dd is built on the
// 1990 classification. No official table links the two at this level, so the mapping is built from
// occ1990dd's own group structure (Dorn's 26 groups, data/taxonomy/occ1990dd_groups.csv): each group goes to
// the 1970 major group that holds the bulk of its occupations, and single codes whose 1970 counterpart sat in
// another major group are moved (each override names the 1970 occupation). docs/titles.md lists it all.
// nlswork's 13 "Other" receives nothing: no occ1990dd code is a residual of that kind (occ1990dd has no
// armed-forces codes).
import { getTaxonomy } from "../taxonomy.ts";

/** nlswork occ_code values (core/taxonomies/nlswork.json). */
export const NLS = {
  professional: "1", managers: "2", sales: "3", clerical: "4", craftsmen: "5", operatives: "6",
  transport: "7", laborers: "8", farmers: "9", farmLaborers: "10", service: "11", household: "12", other: "13",
} as const;

/** Dorn's group label (the `group` of core/taxonomies/occ1990dd.json) -> the 1970 major group of most of its codes. */
export const NLSWORK_BY_DORN_GROUP: Readonly<Record<string, string>> = {
  "Executive, administrative and managerial": NLS.managers,
  "Management related": NLS.professional, // accountants, analysts, personnel specialists (1970: professional)
  "Professional specialty": NLS.professional,
  "Technicians and related support": NLS.professional, // 1970 put technicians, pilots, programmers with professionals
  "Financial sales and related": NLS.sales,
  "Retail sales": NLS.sales,
  "Administrative support": NLS.clerical,
  "Housekeeping, cleaning, laundry": NLS.service,
  "Supervisors of guards; guards": NLS.service,
  "Fire fighting, police, and correctional institutions": NLS.service,
  "Food preparation and service": NLS.service,
  "Health service (dental assistants, health and nursing aides)": NLS.service,
  "Building and grounds cleaning and maintenance": NLS.service,
  "Personal appearance": NLS.service,
  "Recreation and hospitality": NLS.service,
  "Child care workers": NLS.service,
  "Miscellaneous personal care and service": NLS.service,
  "Farm operators and managers": NLS.farmers,
  "Other agricultural and related": NLS.farmLaborers,
  "Mechanics and repairers": NLS.craftsmen,
  "Construction trades": NLS.craftsmen,
  "Extractive": NLS.operatives, // 1970: drillers, blasters, mine operatives
  "Precision production": NLS.craftsmen,
  "Machine operators, assemblers, and inspectors": NLS.operatives,
  "Transportation and material moving": NLS.transport,
};

/**
 * Codes that leave their group's default: occ1990dd code -> nlswork group(s) with weights summing to 1. A
 * split is used only where one occ1990dd code merges occupations that 1970 put in two major groups.
 */
export const NLSWORK_OVERRIDES: Readonly<Record<string, Readonly<Record<string, number>>>> = {
  // Management related
  "24": { [NLS.sales]: 1 }, // insurance underwriters: 1970 "insurance agents, brokers, and underwriters"
  "25": { [NLS.managers]: 1 }, // other financial specialists: 1970 "assessors, controllers, treasurers", "credit men"
  "28": { [NLS.managers]: 1 }, // purchasing agents, farm products: 1970 "buyers and shippers, farm products"
  "29": { [NLS.managers]: 1 }, // buyers, wholesale and retail trade
  "33": { [NLS.managers]: 1 }, // purchasing agents and buyers, n.e.c.
  "34": { [NLS.managers]: 1 }, // business and promotion agents: 1970 "managers and administrators, n.e.c."
  "35": { [NLS.managers]: 1 }, // construction inspectors: 1970 "construction inspectors, public administration"
  "36": { [NLS.managers]: 1 }, // inspectors and compliance officers: 1970 "inspectors, except construction, public admin."
  // Technicians
  "207": { [NLS.service]: 1 }, // licensed practical nurses: 1970 "practical nurses", a health service occupation
  // Sales
  "243": { [NLS.managers]: 1 }, // sales supervisors and proprietors: 1970 "sales managers", proprietors as managers
  "269": { [NLS.sales]: 1 }, // parts salesperson (no Dorn group)
  "270": { [NLS.sales]: 1 }, // sales workers (no Dorn group)
  "285": { [NLS.sales]: 1 }, // auctioneers and sales support (no Dorn group)
  "275": { [NLS.clerical]: 1 }, // sales counter clerks: 1970 "counter clerks, except food" (clerical)
  "276": { [NLS.clerical]: 1 }, // cashiers: clerical in 1970
  // Service
  "405": { [NLS.household]: 0.5, [NLS.service]: 0.5 }, // housekeepers and maids: merges private-household and hotel/other workers
  "408": { [NLS.operatives]: 1 }, // laundry and dry cleaning workers: 1970 "laundry and dry cleaning operatives"
  "413": { [NLS.service]: 1 }, // supervisors, firefighting (no Dorn group)
  "414": { [NLS.service]: 1 }, // supervisors, police and detectives (no Dorn group)
  "450": { [NLS.laborers]: 1 }, // supervisors of landscaping: with gardeners (1970 laborers)
  "451": { [NLS.laborers]: 1 }, // gardeners and groundskeepers: 1970 "gardeners and groundskeepers, except farm" (laborers)
  "467": { [NLS.craftsmen]: 1 }, // motion picture projectionists: craftsmen in 1970
  "472": { [NLS.laborers]: 1 }, // animal caretakers, except farm: laborers in 1970
  // Agriculture
  "488": { [NLS.operatives]: 1 }, // graders and sorters of agricultural products: 1970 "produce graders and packers"
  "489": { [NLS.craftsmen]: 1 }, // inspectors of agricultural products: 1970 "inspectors, n.e.c." (craftsmen)
  "494": { [NLS.craftsmen]: 1 }, // supervisors, forestry and logging: 1970 "foremen, n.e.c." (craftsmen)
  "496": { [NLS.laborers]: 1 }, // timber and logging: 1970 "lumbermen, raftsmen, and woodchoppers" (laborers)
  "498": { [NLS.laborers]: 1 }, // fishing and hunting: 1970 "fishermen and oystermen" (laborers)
  // Construction
  "573": { [NLS.operatives]: 1 }, // drywall installers: 1970 "dry wall installers and lathers" (operatives)
  "593": { [NLS.operatives]: 1 }, // insulation workers: 1970 "asbestos and insulation workers" (operatives)
  "598": { [NLS.operatives]: 1 }, // drillers of earth: operatives in 1970
  // Precision production
  "686": { [NLS.operatives]: 1 }, // butchers and meat cutters: 1970 "meat cutters and butchers" (operatives)
  "688": { [NLS.operatives]: 1 }, // batch food makers: 1970 "mixing operatives"
  // Transportation and material moving
  "803": { [NLS.craftsmen]: 1 }, // supervisors of motor vehicle transportation: 1970 "foremen, n.e.c."
  "823": { [NLS.managers]: 1 }, // railroad conductors: managers in 1970
  "824": { [NLS.craftsmen]: 1 }, // locomotive engineers and firemen: craftsmen in 1970
  "828": { [NLS.managers]: 1 }, // ship captains: 1970 "officers, pilots, and pursers; ship" (managers)
  "829": { [NLS.operatives]: 1 }, // sailors and deckhands: operatives in 1970
  "844": { [NLS.craftsmen]: 1 }, // operating engineers: 1970 "excavating, grading, and road machine operators"
  "848": { [NLS.craftsmen]: 1 }, // hoist and winch operators: 1970 "cranemen, derrickmen, and hoistmen"
  "849": { [NLS.craftsmen]: 1 }, // crane and tower operators: idem
  "853": { [NLS.craftsmen]: 1 }, // excavating and loading machine operators: idem
  "859": { [NLS.operatives]: 1 }, // misc. material moving equipment operators: 1970 "operatives, n.e.c."
  "865": { [NLS.laborers]: 1 }, // helpers, construction: 1970 "construction laborers"
  "866": { [NLS.laborers]: 1 }, // helpers, surveyors
  "869": { [NLS.laborers]: 1 }, // construction laborers
  "873": { [NLS.laborers]: 1 }, // production helpers: 1970 "miscellaneous laborers"
  "875": { [NLS.laborers]: 1 }, // garbage collectors
  "878": { [NLS.laborers]: 1 }, // machine feeders and offbearers: 1970 "miscellaneous laborers"
  "885": { [NLS.operatives]: 1 }, // garage and service station: 1970 "garage workers and gas station attendants"
  "887": { [NLS.laborers]: 1 }, // vehicle washers and equipment cleaners
  "888": { [NLS.operatives]: 1 }, // packers and packagers by hand: 1970 "packers and wrappers, n.e.c."
  "889": { [NLS.laborers]: 1 }, // freight, stock and material handlers
};

let cache: Map<string, Readonly<Record<string, number>>> | undefined;

/** occ1990dd code -> nlswork group weights (summing to 1); every occ1990dd code has one. */
export function occ1990ddToNlswork(): ReadonlyMap<string, Readonly<Record<string, number>>> {
  if (cache) return cache;
  cache = new Map();
  for (const label of getTaxonomy("occ1990dd").labels) {
    const override = NLSWORK_OVERRIDES[label.code];
    const group = label.group === undefined ? undefined : NLSWORK_BY_DORN_GROUP[label.group];
    const weights = override ?? (group === undefined ? undefined : { [group]: 1 });
    if (weights === undefined) throw new Error(`occ1990dd ${label.code} has no nlswork group`);
    cache.set(label.code, weights);
  }
  return cache;
}

/** The words of "Add role" (role profiles, issue 11); roles-zh-CN.ts has the same keys. */
export const rolesEn = {
  add: 'Add role',
  title: 'Add a role profile',
  intro:
    'A RAM role, in this account or another one, assumed with the temporary credentials of one of your profiles (STS AssumeRole). It has no sign-in of its own.',
  name: 'Name',
  roleArn: 'Role ARN',
  roleArnHint: 'acs:ram::ACCOUNT:role/ROLE, as the role’s owner gave it to you.',
  source: 'Assumed with the credentials of',
  sourceHint: 'A profile that signs in, or another role profile (a chain of roles).',
  sourceRole: '{{name}} (role {{role}})',
  duration: 'Session duration (seconds)',
  durationHint: '900 to 43200, up to the role’s own maximum; at most 3600 when the source is a role. Empty: 3600.',
  more: 'Session name, external ID, region',
  sessionName: 'Session name',
  sessionNameHint: 'Names the session in the role account’s logs. Empty: alicloud-signin and your user name.',
  externalId: 'External ID',
  externalIdHint: 'Only for a role that expects one.',
  region: 'Region',
  regionHint: 'Empty: the region of {{source}}.',
  stsEndpoint: 'STS endpoint',
  stsHints: {
    required: 'Required: a custom site has no known STS endpoint.',
    'from-source': 'Empty: the one {{source}} uses.',
    demo: 'Empty: the demo site’s own STS on this computer.',
  },
  submit: 'Add role',
  cancel: 'Cancel',
  checking: 'Asking STS to assume the role…',
  checked: 'Added {{name}}: STS issued credentials for the role.',
  unchecked: 'Added {{name}}, not checked yet: {{why}} The role is assumed the first time it is used.',
  invalid: {
    name: 'Use up to 64 letters, digits, dots, dashes or underscores, starting with a letter or digit.',
    roleArn: 'Enter a role ARN like acs:ram::1234567890123456:role/ReadOnly.',
    duration: 'Enter whole seconds, like 3600, or leave it empty.',
    sessionName: 'Use 2 to 64 letters, digits and the characters _ . @ -',
    externalId: 'Use 2 to 1224 letters, digits and the characters _ + = , . @ : / -',
    region: 'Use lowercase letters, digits and dashes, like cn-hangzhou.',
    url: 'Enter an https:// address.',
    stsRequired: 'Enter the STS endpoint of this custom site (https://).',
  },
} as const;

type Shape<T> = { readonly [K in keyof T]: T[K] extends string ? string : Shape<T[K]> };
export type RoleWords = Shape<typeof rolesEn>;

import { Button, PasswordInput, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { ErrorAlert } from '@/components/ui/States';
import { useLogIn } from '../api/log-in';

export function LogInForm({ onSuccess }: { onSuccess: () => void }) {
  const logIn = useLogIn();
  const form = useForm({
    initialValues: { email: '', password: '' },
    validate: {
      email: (v) => (v.trim() ? null : 'Enter your email'),
      password: (v) => (v ? null : 'Enter your password'),
    },
  });
  return (
    <form noValidate aria-label="Log in" onSubmit={form.onSubmit((values) => logIn.mutate(values, { onSuccess }))}>
      <Stack>
        <TextInput label="Email" type="email" autoComplete="email" required {...form.getInputProps('email')} />
        <PasswordInput label="Password" autoComplete="current-password" required {...form.getInputProps('password')} />
        <ErrorAlert error={logIn.error} title="Could not log in" />
        <Button type="submit" loading={logIn.isPending}>
          Log in
        </Button>
      </Stack>
    </form>
  );
}

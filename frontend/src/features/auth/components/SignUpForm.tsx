import { Button, PasswordInput, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { ErrorAlert } from '@/components/ui/States';
import { UserErrorException } from '@/lib/graphql';
import { useSignUp } from '../api/sign-up';
import { emailProblem, MIN_PASSWORD, passwordProblem } from '../utils/account-rules';

type SignUpValues = { displayName: string; email: string; password: string };

export function SignUpForm({ onSuccess }: { onSuccess: () => void }) {
  const signUp = useSignUp();
  const form = useForm<SignUpValues>({
    initialValues: { displayName: '', email: '', password: '' },
    validate: {
      displayName: (v) => (v.trim() ? null : 'Enter your name'),
      email: emailProblem,
      password: passwordProblem,
    },
  });
  const fieldError = signUp.error instanceof UserErrorException && signUp.error.field;

  return (
    <form
      noValidate
      aria-label="Sign up"
      onSubmit={form.onSubmit((values) =>
        signUp.mutate(values, {
          onSuccess,
          onError: (error) => {
            if (error instanceof UserErrorException && error.field && error.field in values) {
              form.setFieldError(error.field, error.message);
            }
          },
        }),
      )}
    >
      <Stack>
        <TextInput label="Name" autoComplete="name" required {...form.getInputProps('displayName')} />
        <TextInput label="Email" type="email" autoComplete="email" required {...form.getInputProps('email')} />
        <PasswordInput
          label="Password"
          description={`At least ${MIN_PASSWORD} characters`}
          autoComplete="new-password"
          required
          {...form.getInputProps('password')}
        />
        {!fieldError && <ErrorAlert error={signUp.error} title="Could not sign up" />}
        <Button type="submit" loading={signUp.isPending}>
          Create account
        </Button>
      </Stack>
    </form>
  );
}
